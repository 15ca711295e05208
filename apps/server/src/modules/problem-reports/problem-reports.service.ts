import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type PhotoType, PROBLEM_REPORT_LIMITS, sniffPhotoType, type TicketCategory, type TicketStatus } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Database, type Db, queryOne } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { routeTicket, ticketFromProblemReport } from '../tickets/tickets.service.js';
import { volunteerForUser } from '../volunteers/volunteers.service.js';
import type { ProblemReportFields, ProblemReportListQuery } from './problem-reports.schemas.js';

export interface ProblemReportRow {
  id: string;
  reporterUserId: string;
  reporterName: string | null;
  unitId: string;
  unitPath: string;
  unitName: string | null;
  regionCode: string | null;
  place: string;
  latitude: number | null;
  longitude: number | null;
  category: TicketCategory;
  description: string;
  photoType: PhotoType | null;
  photoBytes: number | null;
  ticketId: string | null;
  ticketCode: string | null;
  ticketStatus: TicketStatus | null;
  createdAt: Date | string;
}

const SELECT = sql`select r.id, r.reporter_user_id as "reporterUserId", u.display_name as "reporterName", r.unit_id as "unitId",
    r.unit_path::text as "unitPath", un.name as "unitName", r.region_code as "regionCode", r.place, r.latitude, r.longitude,
    r.category, r.description, r.photo_type as "photoType", r.photo_bytes as "photoBytes", r.ticket_id as "ticketId",
    t.code as "ticketCode", t.status as "ticketStatus", r.created_at as "createdAt"
  from problem_reports r
  left join users u on u.id = r.reporter_user_id
  left join units un on un.id = r.unit_id
  left join tickets t on t.id = r.ticket_id`;

const notFound = () => new AppError('problem_report_not_found', { status: 404, message: 'problem report not found' });

/**
 * Where a report's photo is kept: the data folder's `photos`, one encrypted file per report, named by its id.
 * A deployment without a data folder on disk ('memory://', the tests) keeps them in the system temp folder.
 */
export function photoFile(dataDir: string, id: string): string {
  const dir = dataDir.startsWith('memory://') ? path.join(os.tmpdir(), `wushe-photos-${process.pid}`) : path.join(dataDir, 'photos');
  return path.join(dir, id);
}

/** Checks an uploaded photo: at most 10 MB, and by its bytes a JPEG, PNG, WebP or HEIC image. */
export function checkPhoto(bytes: Buffer): PhotoType {
  if (bytes.length === 0) throw invalid('file', 'empty', 'the photo is empty');
  if (bytes.length > PROBLEM_REPORT_LIMITS.photoMaxBytes)
    throw new AppError('payload_too_large', {
      status: 413,
      message: `a photo may be at most ${PROBLEM_REPORT_LIMITS.photoMaxBytes / 1024 / 1024} MB`,
      details: [{ path: 'file', code: 'too_large', message: `at most ${PROBLEM_REPORT_LIMITS.photoMaxBytes} bytes` }],
    });
  const type = sniffPhotoType(bytes.subarray(0, 16));
  if (!type)
    throw new AppError('unsupported_media_type', {
      status: 415,
      message: 'the photo must be a JPEG, PNG, WebP or HEIC image',
      details: [{ path: 'file', code: 'not_an_image', message: 'the file is not a JPEG, PNG, WebP or HEIC image' }],
    });
  return type;
}

/**
 * Files a report: the photo (if any) is checked and written encrypted first, then the report and its ticket
 * (of the unit that serves the community) are written in one transaction. A failed write leaves no file.
 */
export async function createProblemReport(opts: {
  database: Database;
  actor: Actor;
  crypto: FieldCrypto;
  dataDir: string;
  input: ProblemReportFields;
  photo: Buffer | null;
}): Promise<ProblemReportRow> {
  const { database, actor, crypto, input } = opts;
  if (!actor.userId) throw new AppError('forbidden', { status: 403, message: 'a report needs a signed-in reporter' });
  const photoType = opts.photo ? checkPhoto(opts.photo) : null;
  if (!input.regionCode && !input.unitId && !actor.unitId)
    throw invalid('regionCode', 'required', 'say in which community the problem is (regionCode) or which unit to tell (unitId)');
  const id = newId();
  const file = photoFile(opts.dataDir, id);
  if (opts.photo) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(`${file}.tmp`, crypto.encryptBytes(opts.photo), { mode: 0o600 });
    await fs.rename(`${file}.tmp`, file);
  }
  try {
    await database.db.transaction(async (tx) => {
      const routed = await routeTicket(tx, {
        regionCode: input.regionCode ?? null,
        unitId: input.unitId ?? (input.regionCode ? null : actor.unitId),
      });
      const volunteer = await volunteerForUser(tx, actor.userId as string);
      const ticket = await ticketFromProblemReport({
        db: tx,
        crypto,
        actor,
        routed,
        input: { category: input.category, summary: `【随手拍】${input.description}`.slice(0, 2000), address: input.place },
      });
      await tx.execute(sql`insert into problem_reports (id, reporter_user_id, volunteer_id, unit_id, unit_path, region_code, place,
          latitude, longitude, category, description, photo_type, photo_bytes, ticket_id)
        values (${id}, ${actor.userId}, ${volunteer?.id ?? null}, ${routed.unitId}, ${routed.unitPath}::ltree, ${input.regionCode ?? null},
          ${input.place}, ${input.latitude ?? null}, ${input.longitude ?? null}, ${input.category}, ${input.description},
          ${photoType}, ${opts.photo ? opts.photo.length : null}, ${ticket.id})`);
      await writeAudit(tx, {
        actor,
        action: 'problem_report.created',
        entityType: 'problem_report',
        entityId: id,
        unitPath: routed.unitPath,
        after: { category: input.category, place: input.place, ticketCode: ticket.code, photo: photoType ?? null },
      });
    });
  } catch (e) {
    if (opts.photo) await fs.rm(file, { force: true });
    throw e;
  }
  const row = await loadReport(database.db, id);
  if (!row) throw new Error(`problem report ${id} vanished`);
  return row;
}

async function loadReport(db: Db, id: string): Promise<ProblemReportRow | null> {
  return (await queryOne<ProblemReportRow>(db, sql`${SELECT} where r.id = ${id}`)) ?? null;
}

/** May the actor see this report: its reporter, or staff who read tickets of its unit. */
function visible(actor: Actor, r: ProblemReportRow): boolean {
  return r.reporterUserId === actor.userId || (can(actor, 'tickets.read') && inScope(actor, r.unitPath));
}

/** A report the actor may see; any other is as unknown as one that never existed. */
export async function getProblemReport(db: Db, actor: Actor, id: string): Promise<ProblemReportRow> {
  const row = await loadReport(db, id);
  if (!row || !visible(actor, row)) throw notFound();
  return row;
}

/** Reports of the actor's part of the network (staff), or the actor's own (`mine`), newest first. */
export async function findProblemReports(db: Db, actor: Actor, q: ProblemReportListQuery & { mine?: boolean }) {
  const conds: SQL[] = [q.mine ? sql`r.reporter_user_id = ${actor.userId}` : scopeWhere(actor, sql`r.unit_path`)];
  if (q.category) conds.push(sql`r.category = ${q.category}`);
  if (q.unitId) conds.push(sql`r.unit_path <@ (select path from units where id = ${q.unitId})`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(r.place ilike ${like} or r.description ilike ${like})`);
  }
  return newestFirstPage<ProblemReportRow>(db, {
    select: SELECT,
    countFrom: sql`from problem_reports r`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`r.created_at`,
    idColumn: sql`r.id`,
    timeOf: (r) => r.createdAt,
    limit: q.limit,
    cursor: q.cursor,
  });
}

/** The photo of a report the actor may see, decrypted; every view is audited (it may show people). */
export async function readPhoto(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  dataDir: string;
  id: string;
}): Promise<{ type: PhotoType; bytes: Buffer }> {
  const row = await getProblemReport(opts.db, opts.actor, opts.id);
  if (!row.photoType) throw new AppError('photo_not_found', { status: 404, message: 'this report has no photo' });
  let sealed: Buffer;
  try {
    sealed = await fs.readFile(photoFile(opts.dataDir, row.id));
  } catch {
    throw new AppError('photo_not_found', { status: 404, message: 'the photo is no longer kept on this server' });
  }
  const bytes = opts.crypto.decryptBytes(sealed);
  await writeAudit(opts.db, {
    actor: opts.actor,
    action: 'problem_report.photo_viewed',
    entityType: 'problem_report',
    entityId: row.id,
    unitPath: row.unitPath,
  });
  return { type: row.photoType, bytes };
}
