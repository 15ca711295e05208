import { problemsSolved } from '@wushe/domain';
import type { DailyReportSettings, ReportRow, Rollup } from './daily-reports.service.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

export function presentReport(r: ReportRow) {
  return {
    id: r.id,
    unitId: r.unitId,
    unitName: r.unitName,
    day: r.day,
    status: r.status,
    late: r.late,
    figures: r.figures,
    problemsSolved: problemsSolved(r.figures),
    highlights: r.highlights,
    prefill: r.prefill,
    returnReason: r.returnReason,
    submittedAt: isoOrNull(r.submittedAt),
    submittedByName: r.submittedByName,
    returnedAt: isoOrNull(r.returnedAt),
    returnedByName: r.returnedByName,
    version: r.version,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function presentRollup(r: Rollup) {
  return {
    unit: r.unit ? { id: r.unit.id, name: r.unit.name, kind: r.unit.kind } : null,
    from: r.from,
    to: r.to,
    days: r.days,
    totals: { ...r.totals, problemsSolved: problemsSolved(r.totals.figures) },
    children: r.children.map((c) => ({ ...c, problemsSolved: problemsSolved(c.figures) })),
    series: r.series.map((s) => ({ ...s, problemsSolved: problemsSolved(s.figures) })),
    missing: r.missing,
    missingTotal: r.missingTotal,
  };
}

export function presentSettings(s: DailyReportSettings) {
  return {
    unitKinds: s.unitKinds,
    reminderTime: s.reminderTime,
    remindersEnabled: s.remindersEnabled,
    lastReminderDay: s.lastReminderDay,
    version: s.version,
  };
}
