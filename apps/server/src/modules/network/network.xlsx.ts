import ExcelJS from 'exceljs';
import { styleHeader, writeXlsx } from '../../platform/xlsx.js';
import type { CoverageReport, Ratio } from './coverage.service.js';

/** The coverage workbook of the network module; the generic helpers live in platform/xlsx.ts (re-exported here). */
export {
  cellDate,
  cellText,
  inspectXlsx,
  isErrorCell,
  loadXlsx,
  MAX_UNCOMPRESSED_BYTES,
  neutralise,
  styleHeader,
  writeXlsx,
} from '../../platform/xlsx.js';

export const COVERAGE_HEADERS = [
  '区划代码',
  '名称',
  '乡镇(街道)总数',
  '已建站数',
  '站点覆盖率',
  '村(社区)总数',
  '已建室/点数',
  '社区覆盖率',
] as const;

/**
 * The coverage report as a workbook: the header row, the region's own totals, then one row per child
 * region. Rates are numbers in 0..1 shown as percentages, so that Excel can sum and chart them.
 */
export async function coverageWorkbook(r: CoverageReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Wushe';
  wb.created = new Date();
  const ws = wb.addWorksheet('覆盖率');
  ws.columns = [
    { width: 16 },
    { width: 28 },
    { width: 16 },
    { width: 12 },
    { width: 12, style: { numFmt: '0.00%' } },
    { width: 16 },
    { width: 14 },
    { width: 12, style: { numFmt: '0.00%' } },
  ];
  ws.addRow([...COVERAGE_HEADERS]);
  styleHeader(ws);
  const line = (code: string, name: string, s: Ratio, v: Ratio) => [code, name, s.total, s.covered, s.rate, v.total, v.covered, v.rate];
  const totals = ws.addRow(line(r.region.code, r.region.name, r.streets, r.villages));
  totals.font = { bold: true };
  for (const c of r.children) ws.addRow(line(c.region.code, c.region.name, c.streets, c.villages));
  for (let i = 2; i <= ws.rowCount; i++) {
    ws.getCell(i, 5).numFmt = '0.00%';
    ws.getCell(i, 8).numFmt = '0.00%';
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COVERAGE_HEADERS.length } };
  return writeXlsx(wb);
}
