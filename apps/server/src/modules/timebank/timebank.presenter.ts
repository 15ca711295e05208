import type { Actor } from '../../platform/actor.js';
import { inScope } from '../../platform/scope.js';
import { type AccountRow, type EntryRow, type PostingRow, type TimebankSettings, toCredits } from './timebank.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentAccount(a: AccountRow) {
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    ownerId: a.ownerId,
    unitId: a.unitId,
    unitName: a.unitName,
    balance: toCredits(a.balance),
    createdAt: iso(a.createdAt),
  };
}

/** An entry as the account's statement shows it; a counterparty outside the viewer's scope stays unnamed. */
export function presentEntry(actor: Actor, e: EntryRow) {
  const visible = inScope(actor, e.counterpartyPath);
  return {
    id: e.id,
    postingId: e.postingId,
    kind: e.kind,
    amount: toCredits(e.amount),
    memo: e.memo,
    counterpartyAccountId: visible ? e.counterpartyAccountId : null,
    counterpartyName: visible ? e.counterpartyName : null,
    createdByName: e.createdByName,
    createdAt: iso(e.createdAt),
  };
}

export function presentPosting(p: PostingRow) {
  return {
    id: p.id,
    kind: p.kind,
    memo: p.memo,
    hours: p.hours === null ? null : p.hours / 100,
    amount: toCredits(p.amount),
    fromAccountId: p.fromAccountId,
    toAccountId: p.toAccountId,
    correctsPostingId: p.correctsPostingId,
    createdAt: iso(p.createdAt),
  };
}

export function presentSettings(s: TimebankSettings) {
  return {
    creditsPerHour: toCredits(s.creditsPerHour),
    yearlyEarnCap: s.yearlyEarnCap === null ? null : toCredits(s.yearlyEarnCap),
    lifetimeEarnCap: s.lifetimeEarnCap === null ? null : toCredits(s.lifetimeEarnCap),
    transfersAllowed: s.transfersAllowed,
    version: Number(s.version),
  };
}
