import {
  CALLBACK_RESULT_LABELS,
  labelOf,
  TICKET_CATEGORY_LABELS,
  TICKET_CHANNEL_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_URGENCY_LABELS,
} from '@wushe/domain';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { neutralise, streamingWorkbook } from '../../platform/xlsx.js';
import type { TicketListQuery } from './tickets.schemas.js';
import { type TicketRow, ticketsForExport } from './tickets.service.js';

const HEADERS = [
  '工单编号',
  '渠道',
  '类别',
  '紧急程度',
  '状态',
  '诉求内容',
  '来电人',
  '联系电话（脱敏）',
  '所在社区',
  '地址',
  '承办单位',
  '办理人',
  '登记时间',
  '受理时间',
  '办结时间',
  '办理结果',
  '回访结果',
  '满意度',
  '回访意见',
  '超时',
  '已上报上级',
];

/** Shanghai wall-clock time, as the console shows it: 2026-12-07 09:30. */
function when(v: Date | string | null): string | null {
  if (!v) return null;
  return new Date(new Date(v).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const text = (s: string | null) => (s ? neutralise(s) : null);

function cells(t: TicketRow): (string | number | null)[] {
  return [
    t.code,
    labelOf(TICKET_CHANNEL_LABELS, t.channel),
    labelOf(TICKET_CATEGORY_LABELS, t.category),
    labelOf(TICKET_URGENCY_LABELS, t.urgency),
    labelOf(TICKET_STATUS_LABELS, t.status),
    text(t.summary),
    text(t.callerName),
    t.callerPhoneMasked,
    text(t.regionName),
    text(t.address),
    text(t.unitName),
    text(t.assignedUserName),
    when(t.receivedAt),
    when(t.acceptedAt),
    when(t.solvedAt),
    text(t.solution),
    t.callbackResult ? labelOf(CALLBACK_RESULT_LABELS, t.callbackResult) : null,
    t.satisfaction,
    text(t.feedback),
    t.overdue === 'response' ? '超时未受理' : t.overdue === 'solution' ? '超时未办结' : null,
    t.escalatedToUnitName ? text(t.escalatedToUnitName) : null,
  ];
}

/** The tickets of a list filter as xlsx (one sheet 工单, phones masked, text cells neutralised). */
export async function exportTickets(db: Db, actor: Actor, f: Omit<TicketListQuery, 'limit' | 'cursor'>): Promise<Buffer> {
  const rows = await ticketsForExport(db, actor, f);
  const { wb, finish } = streamingWorkbook();
  const ws = wb.addWorksheet('工单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = HEADERS.map((_, i) => ({ width: i === 5 || i === 15 ? 40 : 14 }));
  const header = ws.addRow(HEADERS);
  header.font = { bold: true };
  header.commit();
  for (const t of rows) ws.addRow(cells(t)).commit();
  ws.commit();
  return finish();
}
