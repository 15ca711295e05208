import { NEED_TRANSITIONS, type NeedStatus } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { checkIdentity, createClient, getClient, sealSensitive } from '../clients/clients.service.js';
import { checkNewCategories } from '../settings/settings.service.js';

export interface NeedRow {
  id: string;
  clientId: string;
  clientName: string;
  unitName: string | null;
  unitPath: string;
  needType: string;
  severity: string;
  description: string | null;
  status: NeedStatus;
  statusReason: string | null;
  visitId: string | null;
  assessedByName: string | null;
  assessedAt: Date | string;
  closedAt: Date | string | null;
  version: number;
}

const NEED_COLUMNS = sql`n.id, n.client_id as "clientId", c.name as "clientName", u.name as "unitName", n.unit_path::text as "unitPath",
  n.need_type as "needType", n.severity, n.description, n.status, n.status_reason as "statusReason", n.visit_id as "visitId",
  a.display_name as "assessedByName", n.assessed_at as "assessedAt", n.closed_at as "closedAt", n.version`;
const NEED_FROM = sql`needs n join clients c on c.id = n.client_id left join units u on u.id = c.unit_id left join users a on a.id = n.assessed_by`;

async function getNeed(db: Db, actor: Actor, id: string, forUpdate = false): Promise<NeedRow> {
  const row = await queryOne<NeedRow>(
    db,
    sql`select ${NEED_COLUMNS} from ${NEED_FROM} where n.id = ${id} ${forUpdate ? sql`for update of n` : sql``}`,
  );
  if (!row) throw notFound('need');
  assertInScope(actor, row.unitPath, 'need_not_found');
  return row;
}

/** Records an assessed need of a client in scope (from a visit or on its own). */
export async function createNeed(opts: {
  db: Db;
  actor: Actor;
  input: { clientId: string; needType: string; severity: string; description?: string | null; visitId?: string | null };
}): Promise<NeedRow> {
  const { db, actor, input } = opts;
  const client = await getClient(db, actor, input.clientId);
  if (input.visitId) {
    const v = await queryOne<{ client_id: string }>(db, sql`select client_id from visits where id = ${input.visitId}`);
    if (!v || v.client_id !== client.id) throw invalid('visitId', 'unknown_visit', 'the visit must be one of this client');
  }
  const id = newId();
  await db.execute(sql`insert into needs (id, client_id, unit_path, need_type, severity, description, visit_id, assessed_by)
    values (${id}, ${client.id}, ${client.unitPath}::ltree, ${input.needType}, ${input.severity}, ${input.description ?? null},
            ${input.visitId ?? null}, ${actor.userId})`);
  const need = await getNeed(db, actor, id);
  await writeAudit(db, { actor, action: 'need.created', entityType: 'need', entityId: id, unitPath: client.unitPath, after: need });
  return need;
}

/** Moves a need along its allowed transitions (optimistic locking); closing states need a reason except "met". */
export async function updateNeed(opts: {
  db: Db;
  actor: Actor;
  id: string;
  patch: { version: number; status?: NeedStatus; statusReason?: string | null; severity?: string; description?: string | null };
}): Promise<NeedRow> {
  const { db, actor, id, patch } = opts;
  const before = await getNeed(db, actor, id, true);
  if (before.version !== patch.version) throw stale('need');
  const set: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  if (patch.status && patch.status !== before.status) {
    if (!NEED_TRANSITIONS[before.status].includes(patch.status)) {
      throw new AppError('invalid_transition', {
        status: 409,
        message: `a need cannot go from ${before.status} to ${patch.status}`,
        details: [{ path: 'status', code: 'invalid_transition' }],
      });
    }
    if ((patch.status === 'cannot_be_met' || patch.status === 'referred') && !patch.statusReason) {
      throw invalid('statusReason', 'required', 'say why (or to whom it was referred)');
    }
    set.push(sql`status = ${patch.status}`);
    if (['met', 'referred', 'cannot_be_met'].includes(patch.status)) set.push(sql`closed_at = now()`);
  }
  if (patch.statusReason !== undefined) set.push(sql`status_reason = ${patch.statusReason}`);
  if (patch.severity !== undefined) set.push(sql`severity = ${patch.severity}`);
  if (patch.description !== undefined) set.push(sql`description = ${patch.description}`);
  const done = await queryOne<{ id: string }>(
    db,
    sql`update needs set ${sql.join(set, sql`, `)} where id = ${id} and version = ${patch.version} returning id`,
  );
  if (!done) throw stale('need');
  const after = await getNeed(db, actor, id);
  await writeAudit(db, { actor, action: 'need.updated', entityType: 'need', entityId: id, unitPath: after.unitPath, before, after });
  return after;
}

export async function findNeeds(
  db: Db,
  actor: Actor,
  f: { clientId?: string; unitId?: string; status?: NeedStatus | 'unresolved'; needType?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`n.unit_path`)];
  if (f.clientId) conds.push(sql`n.client_id = ${f.clientId}`);
  if (f.unitId) conds.push(sql`n.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.status === 'unresolved') conds.push(sql`n.status in ('open', 'in_progress')`);
  else if (f.status) conds.push(sql`n.status = ${f.status}`);
  if (f.needType) conds.push(sql`n.need_type = ${f.needType}`);
  const where = sql.join(conds, sql` and `);
  return newestFirstPage<NeedRow>(db, {
    select: sql`select ${NEED_COLUMNS} from ${NEED_FROM}`,
    countFrom: sql`from needs n`,
    where,
    timeColumn: sql`n.assessed_at`,
    idColumn: sql`n.id`,
    timeOf: (r) => r.assessedAt,
    limit: f.limit,
    cursor: f.cursor,
  });
}

export interface NominationRow {
  id: string;
  unitPath: string;
  name: string;
  idNumberEnc: string | null;
  idNumberMasked: string | null;
  phoneEnc: string | null;
  phoneMasked: string | null;
  address: string | null;
  regionCode: string;
  regionName: string | null;
  situation: string;
  suggestedCategories: string[];
  status: 'pending' | 'accepted' | 'rejected';
  reportedByName: string | null;
  decidedByName: string | null;
  decidedAt: Date | string | null;
  decisionReason: string | null;
  clientId: string | null;
  createdAt: Date | string;
  version: number;
}

const NOMINATION_COLUMNS = sql`n.id, n.unit_path::text as "unitPath", n.name, n.id_number_enc as "idNumberEnc", n.id_number_masked as "idNumberMasked",
  n.phone_enc as "phoneEnc", n.phone_masked as "phoneMasked", n.address, n.region_code as "regionCode", r.name as "regionName", n.situation,
  n.suggested_categories as "suggestedCategories", n.status, rb.display_name as "reportedByName", db.display_name as "decidedByName",
  n.decided_at as "decidedAt", n.decision_reason as "decisionReason", n.client_id as "clientId", n.created_at as "createdAt", n.version`;
const NOMINATION_FROM = sql`nominations n left join regions r on r.code = n.region_code left join users rb on rb.id = n.reported_by
  left join users db on db.id = n.decided_by`;

async function getNomination(db: Db, actor: Actor, id: string, forUpdate = false): Promise<NominationRow> {
  const row = await queryOne<NominationRow>(
    db,
    sql`select ${NOMINATION_COLUMNS} from ${NOMINATION_FROM} where n.id = ${id} ${forUpdate ? sql`for update of n` : sql``}`,
  );
  if (!row) throw notFound('nomination');
  assertInScope(actor, row.unitPath, 'nomination_not_found');
  return row;
}

const auditNomination = (n: NominationRow) => {
  const { idNumberEnc: _i, phoneEnc: _p, ...rest } = n;
  return rest;
};

/**
 * A worker reports a person not yet covered. The report belongs to the deepest unit of the reporter's
 * part of the network that covers the community (its office, else its station), which checks it.
 */
export async function createNomination(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  input: {
    name: string;
    idNumber?: string | null;
    phone?: string | null;
    address?: string | null;
    regionCode: string;
    situation: string;
    suggestedCategories: string[];
  };
}): Promise<NominationRow> {
  const { db, actor, crypto, input } = opts;
  const owner = await queryOne<{ path: string }>(
    db,
    sql`select u.path::text as path from units u join regions r on r.code = ${input.regionCode}
        where u.region_path @> r.path and u.kind in ('station', 'office', 'point') and u.status <> 'closed' and ${scopeWhere(actor, sql`u.path`)}
        order by u.depth desc limit 1`,
  );
  if (!owner) throw invalid('regionCode', 'outside_scope', 'no unit of your part of the network serves this community');
  // Suggested categories are the deployment's, and active: the station takes them over when it accepts.
  await checkNewCategories(
    db,
    input.suggestedCategories.map((code, i) => ({ code, path: `suggestedCategories.${i}` })),
  );
  const identity = checkIdentity({ idNumber: input.idNumber });
  const sealed = sealSensitive(crypto, identity.idNumber, input.phone ?? null);
  if (sealed.idNumberIndex) {
    const exists = await queryOne<{ id: string }>(db, sql`select id from clients where id_number_index = ${sealed.idNumberIndex}`);
    if (exists)
      throw new AppError('conflict', {
        status: 409,
        message: 'this person is already in the ledger',
        details: [{ path: 'idNumber', code: 'already_registered' }],
      });
  }
  const id = newId();
  await db.execute(sql`insert into nominations (id, unit_path, reported_by, name, id_number_enc, id_number_masked, phone_enc, phone_masked,
      address, region_code, situation, suggested_categories)
    values (${id}, ${owner.path}::ltree, ${actor.userId}, ${input.name}, ${sealed.idNumberEnc}, ${sealed.idNumberMasked}, ${sealed.phoneEnc},
      ${sealed.phoneMasked}, ${input.address ?? null}, ${input.regionCode}, ${input.situation}, ${sql.param(input.suggestedCategories)}::text[])`);
  const row = await getNomination(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'nomination.created',
    entityType: 'nomination',
    entityId: id,
    unitPath: owner.path,
    after: auditNomination(row),
  });
  return row;
}

export async function findNominations(db: Db, actor: Actor, f: { status?: string; limit: number; cursor?: string }) {
  const conds: SQL[] = [scopeWhere(actor, sql`n.unit_path`)];
  if (f.status) conds.push(sql`n.status = ${f.status}`);
  const where = sql.join(conds, sql` and `);
  return newestFirstPage<NominationRow>(db, {
    select: sql`select ${NOMINATION_COLUMNS} from ${NOMINATION_FROM}`,
    countFrom: sql`from nominations n`,
    where,
    timeColumn: sql`n.created_at`,
    idColumn: sql`n.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
}

/** Marks a pending nomination decided, exactly once even when two workers decide at the same time. */
async function decide(db: Db, actor: Actor, id: string, status: 'accepted' | 'rejected', reason: string | null, clientId: string | null) {
  const done = await queryOne<{ id: string }>(
    db,
    sql`update nominations set status = ${status}, decided_by = ${actor.userId}, decided_at = now(), decision_reason = ${reason},
          client_id = ${clientId}, version = version + 1, updated_at = now()
        where id = ${id} and status = 'pending' returning id`,
  );
  if (!done)
    throw new AppError('conflict', {
      status: 409,
      message: 'the nomination was already decided',
      details: [{ path: 'status', code: 'already_decided' }],
    });
}

/** Accepts a nomination: the client is created from it (same validation as any registration) and linked. */
export async function acceptNomination(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  id: string;
  input: {
    unitId: string;
    riskLevel: 'high' | 'key' | 'general';
    categories: { category: string; startDate: string; subtype?: string | null; endDate?: string | null; source?: string | null }[];
    reason?: string | null;
  };
}) {
  const { db, actor, crypto, id, input } = opts;
  const nomination = await getNomination(db, actor, id, true);
  if (nomination.status !== 'pending')
    throw new AppError('conflict', {
      status: 409,
      message: 'the nomination was already decided',
      details: [{ path: 'status', code: 'already_decided' }],
    });
  const client = await createClient({
    db,
    actor,
    crypto,
    input: {
      name: nomination.name,
      idNumber: nomination.idNumberEnc ? crypto.decrypt(nomination.idNumberEnc) : null,
      phone: nomination.phoneEnc ? crypto.decrypt(nomination.phoneEnc) : null,
      address: nomination.address,
      unitId: input.unitId,
      regionCode: nomination.regionCode,
      riskLevel: input.riskLevel,
      categories: input.categories,
      tags: ['发现报告'],
      contacts: [],
    },
  });
  await decide(db, actor, id, 'accepted', input.reason ?? null, client.id);
  const after = await getNomination(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'nomination.accepted',
    entityType: 'nomination',
    entityId: id,
    unitPath: nomination.unitPath,
    before: auditNomination(nomination),
    after: auditNomination(after),
  });
  return after;
}

export async function rejectNomination(opts: { db: Db; actor: Actor; id: string; reason: string }) {
  const { db, actor, id, reason } = opts;
  const nomination = await getNomination(db, actor, id, true);
  await decide(db, actor, id, 'rejected', reason, null);
  const after = await getNomination(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'nomination.rejected',
    entityType: 'nomination',
    entityId: id,
    unitPath: nomination.unitPath,
    before: auditNomination(nomination),
    after: auditNomination(after),
  });
  return after;
}
