import type { DailyFigures, DailyReportStatus } from '@wushe/domain';

export interface DailyReport {
  id: string;
  unitId: string;
  unitName: string | null;
  day: string;
  status: DailyReportStatus;
  late: boolean;
  figures: DailyFigures;
  problemsSolved: number;
  highlights: string | null;
  prefill: DailyFigures | null;
  returnReason: string | null;
  submittedAt: string | null;
  submittedByName: string | null;
  returnedAt: string | null;
  returnedByName: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DailyReportForm {
  unit: { id: string; name: string; kind: string };
  day: string;
  report: DailyReport | null;
  prefill: DailyFigures;
  lateIfSubmittedNow: boolean;
}

interface Figured {
  figures: DailyFigures;
  problemsSolved: number;
}

export interface Rollup {
  unit: { id: string; name: string; kind: string } | null;
  from: string;
  to: string;
  days: number;
  totals: Figured & { filed: number; due: number; late: number; completeness: number };
  children: (Figured & {
    unitId: string | null;
    name: string;
    kind: string | null;
    filed: number;
    due: number;
    late: number;
    completeness: number;
  })[];
  series: (Figured & { day: string; filed: number; due: number; completeness: number })[];
  missing: { unitId: string; name: string; parentName: string | null; missingDays: number; status: DailyReportStatus | null }[];
  missingTotal: number;
}

export interface DailyReportSettings {
  unitKinds: string[];
  reminderTime: string;
  remindersEnabled: boolean;
  lastReminderDay: string | null;
  version: number;
}
