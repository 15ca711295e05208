import { COUNT_FIGURE_LABELS, DAILY_REPORT_STATUS_LABELS, labelOf, problemsSolved, SOLVED_CATEGORY_LABELS } from '@wushe/domain';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { neutralise, streamingWorkbook } from '../../platform/xlsx.js';
import { type ReportRow, reportsOfPeriod, rollup } from './daily-reports.service.js';

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } } as const;

const figureHeaders = [
  ...COUNT_FIGURE_LABELS.map((l) => l.zh),
  '志愿服务时长（小时）',
  '解决问题合计',
  ...SOLVED_CATEGORY_LABELS.map((l) => `解决：${l.zh}`),
];

function figureCells(f: ReportRow['figures']): number[] {
  return [
    ...COUNT_FIGURE_LABELS.map((l) => f[l.value]),
    f.volunteerHours,
    problemsSolved(f),
    ...SOLVED_CATEGORY_LABELS.map((l) => f.solved[l.value]),
  ];
}

/**
 * A period of daily reports as xlsx: 汇总 (the roll-up per child unit with completeness, then the total),
 * 每日 (the series per day) and 明细 (every report of the period, submitted or not). Text cells are neutralised.
 */
export async function exportPeriod(opts: { db: Db; actor: Actor; unitId?: string; from: string; to: string }): Promise<Buffer> {
  const { db, actor } = opts;
  const r = await rollup(db, actor, opts);
  const { wb, finish } = streamingWorkbook();
  const header = (
    ws: { addRow(v: unknown[]): { font: unknown; eachCell(fn: (c: { fill: unknown }) => void): void; commit(): void } },
    cells: string[],
  ) => {
    const row = ws.addRow(cells);
    row.font = { bold: true };
    row.eachCell((c) => {
      c.fill = HEADER_FILL;
    });
    row.commit();
  };
  const pct = (x: number) => Math.round(x * 1000) / 10;

  const sum = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 2 }] });
  sum.addRow([neutralise(`${r.unit?.name ?? '全部'} 每日一报 ${r.from} 至 ${r.to}（${r.days} 天）`)]).commit();
  header(sum as never, ['单位', '应报', '已报', '迟报', '报送率（%）', ...figureHeaders]);
  for (const c of r.children)
    sum.addRow([neutralise(c.name), c.due, c.filed, c.late, pct(c.completeness), ...figureCells(c.figures)]).commit();
  sum.addRow(['合计', r.totals.due, r.totals.filed, r.totals.late, pct(r.totals.completeness), ...figureCells(r.totals.figures)]).commit();
  sum.commit();

  const daily = wb.addWorksheet('每日', { views: [{ state: 'frozen', ySplit: 1 }] });
  header(daily as never, ['日期', '应报', '已报', '报送率（%）', ...figureHeaders]);
  for (const s of r.series) daily.addRow([s.day, s.due, s.filed, pct(s.completeness), ...figureCells(s.figures)]).commit();
  daily.commit();

  const detail = wb.addWorksheet('明细', { views: [{ state: 'frozen', ySplit: 1 }] });
  header(detail as never, ['单位', '日期', '状态', '迟报', ...figureHeaders, '工作亮点', '退回原因']);
  for (const rep of await reportsOfPeriod(db, actor, opts)) {
    detail
      .addRow([
        neutralise(rep.unitName ?? ''),
        rep.day,
        labelOf(DAILY_REPORT_STATUS_LABELS, rep.status),
        rep.late ? '是' : '否',
        ...figureCells(rep.figures),
        rep.highlights ? neutralise(rep.highlights) : null,
        rep.returnReason ? neutralise(rep.returnReason) : null,
      ])
      .commit();
  }
  detail.commit();
  return finish();
}
