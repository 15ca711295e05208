import ExcelJS from 'exceljs';
import type { Db } from '../../platform/db.js';
import { styleHeader, writeXlsx } from '../../platform/xlsx.js';
import { serviceRecord, stationOf, type VolunteerRow } from './volunteers.service.js';

const SHANGHAI = 'Asia/Shanghai';
const day = new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit' });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: SHANGHAI, hour: '2-digit', minute: '2-digit', hour12: false });
const dayOf = (d: Date | string) => day.format(new Date(d));
const timeOf = (d: Date | string | null) => (d ? `${dayOf(d)} ${clock.format(new Date(d))}` : '');

/**
 * The hours certificate (志愿服务记录证明, after the 志愿服务记录与证明出具办法): who (name, masked ID number),
 * with which organisation, the confirmed hours by month over the period, the issuing unit (the station) and
 * the date. The console prints it; a serial number ties a printed copy to the volunteer and the day.
 */
export async function certificateOf(db: Db, v: VolunteerRow, range: { from?: string; to?: string }) {
  const rows = await serviceRecord(db, v.id, range);
  const periods = new Map<string, { hours: number; activities: number }>();
  for (const r of rows) {
    const period = dayOf(r.startsAt).slice(0, 7);
    const p = periods.get(period) ?? { hours: 0, activities: 0 };
    p.hours += r.hours;
    p.activities += 1;
    periods.set(period, p);
  }
  const station = await stationOf(db, v.unitPath);
  const now = new Date();
  const total = rows.reduce((s, r) => s + r.hours, 0);
  return {
    volunteerId: v.id,
    name: v.name,
    idNumberMasked: v.idNumberMasked,
    organisation: v.unitName ?? '',
    issuingUnit: station?.name ?? v.unitName ?? '',
    from: range.from ?? null,
    to: range.to ?? null,
    totalHours: total / 100,
    activityCount: rows.length,
    byPeriod: [...periods.entries()].map(([period, p]) => ({ period, hours: p.hours / 100, activities: p.activities })),
    issuedAt: now.toISOString(),
    serialNumber: `${dayOf(now).replace(/-/g, '')}-${v.id.slice(0, 8).toUpperCase()}`,
  };
}

/** A volunteer's service record as a workbook: one row per confirmed attendance, the total at the bottom. */
export async function serviceRecordXlsx(db: Db, v: VolunteerRow, range: { from?: string; to?: string }): Promise<Buffer> {
  const rows = await serviceRecord(db, v.id, range);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('志愿服务记录');
  ws.addRow([`志愿者：${v.name}`, `证件号码：${v.idNumberMasked}`, `所属单位：${v.unitName ?? ''}`]);
  ws.addRow([`期间：${range.from ?? '—'} 至 ${range.to ?? '—'}`, `导出日期：${dayOf(new Date())}`]);
  ws.addRow([]);
  ws.addRow(['序号', '活动', '地点', '组织单位', '活动日期', '签到', '签退', '服务时长（小时）', '调整说明', '确认人', '确认时间']);
  styleHeader(ws, 4);
  rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      r.title,
      r.place,
      r.unitName ?? '',
      dayOf(r.startsAt),
      timeOf(r.checkInAt),
      timeOf(r.checkOutAt),
      r.hours / 100,
      r.adjustReason ?? '',
      r.confirmedByName ?? '',
      timeOf(r.confirmedAt),
    ]);
  });
  const total = ws.addRow(['合计', `${rows.length} 次`, '', '', '', '', '', rows.reduce((s, r) => s + r.hours, 0) / 100]);
  total.font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = [6, 28, 20, 24, 12, 17, 17, 14, 20, 14, 17][i] ?? 12;
  });
  return writeXlsx(wb);
}
