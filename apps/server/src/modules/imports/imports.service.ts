import { createHash } from 'node:crypto';
import os from 'node:os';
import { IMPORT_ERROR_LABELS } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Database, type Db, query, queryOne } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { cellText, neutralise, streamingWorkbook } from '../../platform/xlsx.js';
import { writeAuditNow } from '../audit/audit.service.js';
import { type ClientImportError, type ClientImportReport, type ImportProgress, importClients } from '../clients/clients.import.js';
import { type ClientField, type HeaderMapping, readClientSheet } from '../clients/clients.sheet.js';

/**
 * Background imports. An upload becomes a job row (the file AES-256-GCM encrypted, since it holds ID numbers
 * in clear); the server that took the upload runs its jobs one at a time in the background, in one
 * transaction each (so a job that dies half-way leaves nothing behind) and reports progress: in memory,
 * and on PostgreSQL also in the row every few seconds, as a heartbeat other servers can read. A job whose
 * heartbeat stops is `interrupted`. Uploads are kept a day after the job ends (to re-run it with another
 * mapping or mode and to build the error sheet), then cleared.
 */

export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';
export const OPEN_STATUSES: ImportJobStatus[] = ['queued', 'running'];
/** A job whose server has not written a heartbeat for this long is taken for dead (WUSHE_IMPORT_STALE_SECONDS). */
export const STALE_AFTER_SECONDS = 60;
const KEEP_UPLOAD_HOURS = 24;
/** Errors a job answers inline; all of them are in the error sheet. */
export const INLINE_ERRORS = 200;

export interface ImportJobRow {
  id: string;
  kind: string;
  status: ImportJobStatus;
  commit: boolean;
  mode: 'all' | 'valid';
  mapping: HeaderMapping | null;
  fileName: string | null;
  fileSize: number;
  fileSha256: string;
  hasFile: boolean;
  phase: string | null;
  processed: number;
  total: number | null;
  report: ClientImportReport | null;
  error: { code: string; message: string; details: { path: string; code: string; message?: string }[] } | null;
  userId: string;
  runner: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
}

const jobColumns = sql`id, kind, status, commit, mode, mapping, file_name as "fileName", file_size as "fileSize",
  file_sha256 as "fileSha256", file is not null as "hasFile", phase, processed, total, report, error, user_id as "userId", runner,
  created_at::text as "createdAt", started_at::text as "startedAt", finished_at::text as "finishedAt", heartbeat_at::text as "heartbeatAt"`;

const INTERRUPTED = {
  code: 'interrupted',
  message: 'the server stopped while the import ran; nothing of it was written to the ledger — start it again',
  details: [],
};

/** Marks jobs whose server is gone as interrupted; answers how many. */
export async function interruptDeadJobs(database: Database, opts: { atStart?: boolean; staleSeconds?: number } = {}): Promise<number> {
  // PGlite is one process that writes no heartbeats: at its start no job of an earlier run can still be alive, and
  // later every open job is this process's own (queued behind another, or running).
  if (database.kind === 'pglite' && !opts.atStart) return 0;
  const dead =
    database.kind === 'pglite'
      ? sql`status in ('queued', 'running')`
      : sql`status in ('queued', 'running') and coalesce(heartbeat_at, created_at) < now() - make_interval(secs => ${opts.staleSeconds ?? STALE_AFTER_SECONDS})`;
  const rows = await query<{ id: string }>(
    database.db,
    sql`update import_jobs set status = 'interrupted', error = ${JSON.stringify(INTERRUPTED)}::jsonb, finished_at = now(), updated_at = now()
        where ${dead} returning id`,
  );
  return rows.length;
}

/** Marks jobs whose server is gone as interrupted and clears uploads kept past their day (start-up, new jobs). */
export async function sweepImportJobs(database: Database, opts: { atStart?: boolean; staleSeconds?: number } = {}): Promise<number> {
  const interrupted = await interruptDeadJobs(database, opts);
  await database.db.execute(
    sql`update import_jobs set file = null, updated_at = now()
        where file is not null and finished_at < now() - make_interval(hours => ${KEEP_UPLOAD_HOURS})`,
  );
  return interrupted;
}

/** The runner of this server process: a queue of one job at a time (an import may use a few hundred MB). */
export class ImportRunner {
  readonly id = `${os.hostname()}:${process.pid}:${Date.now().toString(36)}`;
  private readonly live = new Map<string, ImportProgress>();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly crypto: FieldCrypto,
    private readonly log: (msg: string) => void = () => {},
    readonly staleSeconds = STALE_AFTER_SECONDS,
  ) {}

  /** sweepImportJobs with this deployment's staleness. */
  sweep(): Promise<number> {
    return sweepImportJobs(this.database, { staleSeconds: this.staleSeconds });
  }

  /** interruptDeadJobs with this deployment's staleness (reads of open jobs). */
  interruptDead(): Promise<number> {
    return interruptDeadJobs(this.database, { staleSeconds: this.staleSeconds });
  }

  /** Progress of a job this process runs (fresher than the row). */
  progressOf(id: string): ImportProgress | undefined {
    return this.live.get(id);
  }

  enqueue(jobId: string, actor: Actor): void {
    this.pending++;
    this.startHeartbeat();
    this.queue = this.queue
      .then(() => this.run(jobId, actor))
      .catch((err) => this.log(`import job ${jobId}: ${(err as Error).message}`))
      .finally(() => {
        this.pending--;
        if (this.pending === 0) this.stopHeartbeat();
      });
  }

  /** Resolves when every job queued so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  stop(): void {
    this.stopHeartbeat();
  }

  private startHeartbeat() {
    // PGlite runs the import's transaction on its only connection: the row is written when the job ends, and
    // progress is read from memory (one process is the only server there is).
    if (this.heartbeat || this.database.kind !== 'postgres') return;
    this.heartbeat = setInterval(
      () => {
        void this.beat().catch((err) => this.log(`import heartbeat: ${(err as Error).message}`));
      },
      Math.min(5_000, (this.staleSeconds * 1000) / 3),
    );
    this.heartbeat.unref();
  }

  private stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async beat() {
    await this.database.db.execute(
      sql`update import_jobs set heartbeat_at = now() where runner = ${this.id} and status in ('queued', 'running')`,
    );
    for (const [id, p] of this.live) {
      await this.database.db.execute(
        sql`update import_jobs set phase = ${p.phase}, processed = ${p.processed}, total = ${p.total ?? null} where id = ${id} and status = 'running'`,
      );
    }
  }

  private async run(jobId: string, actor: Actor): Promise<void> {
    const db = this.database.db;
    const job = await queryOne<{
      file: Buffer;
      commit: boolean;
      mode: 'all' | 'valid';
      mapping: HeaderMapping | null;
      fileName: string | null;
    }>(
      db,
      sql`update import_jobs set status = 'running', phase = 'reading', started_at = now(), heartbeat_at = now(), updated_at = now()
          where id = ${jobId} and status = 'queued'
          returning file, commit, mode, mapping, file_name as "fileName"`,
    );
    if (!job?.file) return;
    this.live.set(jobId, { phase: 'reading', processed: 0 });
    let logged = 0;
    let lastPhase = '';
    const onProgress = (p: ImportProgress) => {
      this.live.set(jobId, p);
      // A line a second, and one per phase, for the operator's log (and for the test that kills a server half-way).
      if (p.phase !== lastPhase || Date.now() - logged >= 1000) {
        logged = Date.now();
        lastPhase = p.phase;
        this.log(`import job ${jobId}: ${p.phase} ${p.processed}${p.total === undefined ? '' : `/${p.total}`}`);
      }
    };
    const finish = sql`status = 'succeeded', phase = 'done', finished_at = now(), heartbeat_at = now(), updated_at = now()`;
    let finished = false;
    try {
      const { report } = await importClients({
        db,
        actor,
        crypto: this.crypto,
        file: this.crypto.decryptBytes(asBuffer(job.file)),
        fileName: job.fileName ?? undefined,
        commit: job.commit,
        mode: job.mode,
        mapping: job.mapping ?? undefined,
        onProgress,
        // A committed import records its end in its own transaction: rows and "succeeded" land together.
        beforeCommit: async (tx, report) => {
          const total = this.live.get(jobId)?.total ?? report.rows;
          await tx.execute(
            sql`update import_jobs set ${finish}, processed = ${total}, total = ${total}, report = ${JSON.stringify(report)}::jsonb where id = ${jobId}`,
          );
          finished = true;
        },
      });
      if (!finished) {
        await db.execute(
          sql`update import_jobs set ${finish}, processed = ${report.rows}, total = ${report.rows}, report = ${JSON.stringify(report)}::jsonb
              where id = ${jobId}`,
        );
      }
      this.log(`import job ${jobId}: done (${report.committed ? 'committed' : 'not committed'}, ${report.rows} rows)`);
    } catch (err) {
      const e =
        err instanceof AppError
          ? { code: err.code, message: err.message, details: err.details }
          : { code: 'import_failed', message: 'the import failed unexpectedly; nothing of it was written to the ledger', details: [] };
      if (!(err instanceof AppError)) this.log(`import job ${jobId} failed: ${(err as Error).stack ?? err}`);
      await db.execute(
        sql`update import_jobs set status = 'failed', error = ${JSON.stringify(e)}::jsonb, finished_at = now(), heartbeat_at = now(),
            updated_at = now() where id = ${jobId}`,
      );
    } finally {
      this.live.delete(jobId);
    }
  }
}

const asBuffer = (v: Buffer | Uint8Array): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v));

/** Creates a job for an upload (validated later, by the job itself) and hands it to the runner. */
export async function createImportJob(opts: {
  database: Database;
  runner: ImportRunner;
  actor: Actor;
  crypto: FieldCrypto;
  file: Buffer;
  fileName: string | null;
  commit: boolean;
  mode: 'all' | 'valid';
  mapping?: HeaderMapping;
}): Promise<ImportJobRow> {
  const { database, runner, actor } = opts;
  if (opts.file.length === 0) {
    throw new AppError('validation_failed', {
      message: 'the file is empty',
      details: [{ path: 'file', code: 'empty', message: 'the file is empty' }],
    });
  }
  await runner.sweep();
  const id = newId();
  const sha = createHash('sha256').update(opts.file).digest('hex');
  await database.db.execute(
    sql`insert into import_jobs (id, kind, status, commit, mode, mapping, file_name, file_size, file_sha256, file, user_id, unit_path,
          runner, heartbeat_at)
        values (${id}, 'clients', 'queued', ${opts.commit}, ${opts.mode}, ${opts.mapping ? JSON.stringify(opts.mapping) : null}::jsonb,
          ${opts.fileName}, ${opts.file.length}, ${sha}, ${opts.crypto.encryptBytes(opts.file)}, ${actor.userId}, ${actor.scopePath ?? ''}::ltree,
          ${runner.id}, now())`,
  );
  await writeAuditNow(database.db, {
    actor,
    action: 'client.import_job_created',
    entityType: 'import_job',
    entityId: id,
    unitPath: actor.scopePath,
    after: { fileName: opts.fileName, fileSize: opts.file.length, sha256: sha, commit: opts.commit, mode: opts.mode },
  });
  runner.enqueue(id, actor);
  return getImportJob(database.db, actor, id);
}

/** A new job on the upload of an earlier one of the same user (dry run → commit, or another mapping). */
export async function rerunImportJob(opts: {
  database: Database;
  runner: ImportRunner;
  actor: Actor;
  id: string;
  commit: boolean;
  mode: 'all' | 'valid';
  mapping?: HeaderMapping | null;
}): Promise<ImportJobRow> {
  const { database, runner, actor } = opts;
  const prior = await getImportJob(database.db, actor, opts.id);
  if (!prior.hasFile) {
    throw new AppError('conflict', {
      status: 409,
      message: `the upload of this import is no longer kept (uploads are cleared ${KEEP_UPLOAD_HOURS} h after the job ends); upload the file again`,
      details: [{ path: 'id', code: 'upload_gone' }],
    });
  }
  if (OPEN_STATUSES.includes(prior.status)) {
    throw new AppError('conflict', {
      status: 409,
      message: 'this import is still running; wait for it to end',
      details: [{ path: 'id', code: 'still_running' }],
    });
  }
  const mapping = opts.mapping === undefined ? prior.mapping : opts.mapping;
  const id = newId();
  await database.db.execute(
    sql`insert into import_jobs (id, kind, status, commit, mode, mapping, file_name, file_size, file_sha256, file, user_id, unit_path,
          runner, heartbeat_at)
        select ${id}, kind, 'queued', ${opts.commit}, ${opts.mode}, ${mapping ? JSON.stringify(mapping) : null}::jsonb, file_name, file_size,
          file_sha256, file, user_id, unit_path, ${runner.id}, now()
        from import_jobs where id = ${opts.id}`,
  );
  await writeAuditNow(database.db, {
    actor,
    action: 'client.import_job_created',
    entityType: 'import_job',
    entityId: id,
    unitPath: actor.scopePath,
    after: { from: opts.id, fileName: prior.fileName, sha256: prior.fileSha256, commit: opts.commit, mode: opts.mode },
  });
  runner.enqueue(id, actor);
  return getImportJob(database.db, actor, id);
}

/** A job of the actor's own (another user's job is 404: uploads hold personal data in clear). */
export async function getImportJob(db: Db, actor: Actor, id: string): Promise<ImportJobRow> {
  const row = await queryOne<ImportJobRow>(db, sql`select ${jobColumns} from import_jobs where id = ${id} and user_id = ${actor.userId}`);
  if (!row) throw notFound('import job');
  return row;
}

/** The actor's jobs, newest first. */
export async function findImportJobs(db: Db, actor: Actor, opts: { limit: number; before?: string }): Promise<ImportJobRow[]> {
  return query<ImportJobRow>(
    db,
    sql`select ${jobColumns} from import_jobs where user_id = ${actor.userId}
        ${opts.before ? sql`and id < ${opts.before}` : sql``} order by id desc limit ${opts.limit}`,
  );
}

/**
 * The error sheet of a job: the rejected rows with the columns the import read and a 错误说明 column (while
 * the upload is kept), and the list of every error (row, column, code, message). Cells are neutralised.
 */
export async function importErrorSheet(db: Db, actor: Actor, crypto: FieldCrypto, id: string): Promise<Buffer> {
  const job = await getImportJob(db, actor, id);
  const errors: ClientImportError[] = job.report?.errors ?? (job.error ? job.error.details.map((d) => fileErrorRow(d, job.error)) : []);
  if (errors.length === 0) {
    throw new AppError('not_found', { status: 404, message: 'this import has no errors', details: [{ path: 'id', code: 'no_errors' }] });
  }
  // Read by people: the Chinese meaning of the code, with the server's detail (which names the value at fault).
  const zh = new Map(IMPORT_ERROR_LABELS.map((l) => [l.value, l.zh]));
  const say = (e: ClientImportError) => (zh.has(e.code) ? `${zh.get(e.code)}（${e.message}）` : e.message);
  const byRow = new Map<number, ClientImportError[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);

  const { wb, finish } = streamingWorkbook();
  const text = (v: unknown) =>
    v === null || v === undefined ? null : neutralise(typeof v === 'string' ? v : cellText(v as ExcelJS.CellValue));
  const header = (ws: ExcelJS.Worksheet, values: string[]) => {
    const r = ws.addRow(values);
    r.font = { bold: true };
    r.commit();
  };

  if (job.hasFile && job.report) {
    const file = await queryOne<{ file: Buffer }>(db, sql`select file from import_jobs where id = ${id}`);
    if (file?.file) {
      const sheet = await readClientSheet(crypto.decryptBytes(asBuffer(file.file)), job.mapping ?? undefined, (r) =>
        byRow.has(r.row) ? r : null,
      );
      const fields = Object.entries(sheet.layout.headerOf).filter(([, h]) => sheet.layout.headers.includes(h)) as [ClientField, string][];
      const ws = wb.addWorksheet('未导入的行', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = [{ width: 8 }, ...fields.map(() => ({ width: 18 })), { width: 60 }];
      header(ws, ['原行号', ...fields.map(([, h]) => h), '错误说明']);
      for (const r of sheet.rows) {
        if (!r) continue;
        const why = (byRow.get(r.row) ?? []).map((e) => (e.column ? `${e.column}：${say(e)}` : say(e))).join('；');
        ws.addRow([r.row, ...fields.map(([f]) => text(r.cells[f])), text(why)]).commit();
      }
      ws.commit();
    }
  }
  const list = wb.addWorksheet('错误清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = [{ width: 8 }, { width: 16 }, { width: 22 }, { width: 80 }];
  header(list, ['行号', '列', '错误代码', '说明']);
  for (const e of errors) list.addRow([e.row, text(e.column), e.code, text(say(e))]).commit();
  list.commit();
  return finish();
}

function fileErrorRow(d: { path: string; code: string; message?: string }, error: ImportJobRow['error']): ClientImportError {
  return { row: 0, column: d.path === 'file' ? null : d.path, code: d.code, message: d.message ?? error?.message ?? d.code };
}
