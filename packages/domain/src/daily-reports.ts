import type { Labelled } from './labels.js';
import { TICKET_CATEGORIES } from './tickets.js';

/**
 * 每日一报 — the figures of a unit's daily report. One list drives the table columns (server), the form
 * (console), the roll-up sums and the export, so a new figure is added in one place.
 */

/** Problems solved, by the ticket categories of the hotline (缺粮 … other): the same codes, shorter English column labels. */
export const SOLVED_CATEGORIES = TICKET_CATEGORIES;
export type SolvedCategory = (typeof SOLVED_CATEGORIES)[number];

export const SOLVED_CATEGORY_LABELS: Labelled<SolvedCategory>[] = [
  { value: 'grain', zh: '缺粮', en: 'Grain' },
  { value: 'oil', zh: '缺油', en: 'Cooking oil' },
  { value: 'vegetables', zh: '缺菜', en: 'Vegetables' },
  { value: 'medicine', zh: '缺药', en: 'Medicine' },
  { value: 'urgent_medical', zh: '急需就医', en: 'Urgent medical care' },
  { value: 'policy', zh: '政策咨询', en: 'Policy questions' },
  { value: 'counselling', zh: '心理疏导', en: 'Counselling' },
  { value: 'emotional', zh: '情绪支持', en: 'Emotional support' },
  { value: 'other', zh: '其他', en: 'Other' },
];

/** A ticket's category (stored as the Chinese word or as the English code) → the report's category. */
export function solvedCategoryOf(ticketCategory: string | null | undefined): SolvedCategory {
  if (!ticketCategory) return 'other';
  const v = ticketCategory.trim();
  const hit = SOLVED_CATEGORY_LABELS.find((c) => c.value === v || c.zh === v);
  return hit?.value ?? 'other';
}

/** Whole-number figures of a report (besides the problems solved by category and the volunteer hours). */
export const COUNT_FIGURES = ['peopleServed', 'visits', 'needsMet', 'ticketsReceived', 'shifts', 'calls'] as const;
export type CountFigure = (typeof COUNT_FIGURES)[number];

export const COUNT_FIGURE_LABELS: Labelled<CountFigure>[] = [
  { value: 'peopleServed', zh: '服务人数', en: 'People served' },
  { value: 'visits', zh: '走访人次', en: 'Visits' },
  { value: 'needsMet', zh: '需求已满足', en: 'Needs met' },
  { value: 'ticketsReceived', zh: '受理诉求', en: 'Tickets received' },
  { value: 'shifts', zh: '值班班次', en: 'Duty shifts' },
  { value: 'calls', zh: '接听来电', en: 'Calls answered' },
];

export const DAILY_REPORT_STATUSES = ['draft', 'submitted', 'returned'] as const;
export type DailyReportStatus = (typeof DAILY_REPORT_STATUSES)[number];
export const DAILY_REPORT_STATUS_LABELS: Labelled<DailyReportStatus | 'missing'>[] = [
  { value: 'draft', zh: '草稿', en: 'Draft' },
  { value: 'submitted', zh: '已报送', en: 'Submitted' },
  { value: 'returned', zh: '已退回', en: 'Returned' },
  { value: 'missing', zh: '未报送', en: 'Not filed' },
];

/** The figures of one report (or of a roll-up: their sums). */
export interface DailyFigures {
  peopleServed: number;
  visits: number;
  needsMet: number;
  ticketsReceived: number;
  shifts: number;
  calls: number;
  /** Confirmed volunteer (time-bank) hours, two decimals. */
  volunteerHours: number;
  solved: Record<SolvedCategory, number>;
}

export function emptyFigures(): DailyFigures {
  return {
    peopleServed: 0,
    visits: 0,
    needsMet: 0,
    ticketsReceived: 0,
    shifts: 0,
    calls: 0,
    volunteerHours: 0,
    solved: Object.fromEntries(SOLVED_CATEGORIES.map((c) => [c, 0])) as Record<SolvedCategory, number>,
  };
}

/** Problems solved in all (the sum over the categories). */
export function problemsSolved(f: DailyFigures): number {
  return SOLVED_CATEGORIES.reduce((s, c) => s + (f.solved[c] ?? 0), 0);
}

/** Filed ÷ due, 0 when nothing is due, never above 1. */
export function completeness(filed: number, due: number): number {
  if (due <= 0) return 0;
  return Math.min(1, Math.max(0, filed / due));
}
