import {
  TICKET_CATEGORY_LABELS,
  TICKET_CHANNEL_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_URGENCY_LABELS,
  type TicketStatus,
  type TicketUrgency,
} from '@wushe/domain';
import { Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../app/ui';
import type { Ticket } from './types';

const STATUS_COLOR: Record<TicketStatus, string> = {
  new: 'blue',
  accepted: 'cyan',
  assigned: 'geekblue',
  in_progress: 'purple',
  solved: 'green',
  closed: 'default',
  cancelled: 'default',
};
const URGENCY_COLOR: Record<TicketUrgency, string> = { urgent: 'red', normal: 'orange', low: 'default' };

export function StatusTag({ status }: { status: TicketStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="ticket-status">
      {label(TICKET_STATUS_LABELS, status)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: TicketUrgency }) {
  const label = useLabel();
  return <Tag color={URGENCY_COLOR[urgency]}>{label(TICKET_URGENCY_LABELS, urgency)}</Tag>;
}

export function CategoryTag({ ticket }: { ticket: Pick<Ticket, 'category'> }) {
  const label = useLabel();
  return <Tag>{label(TICKET_CATEGORY_LABELS, ticket.category)}</Tag>;
}

export function ChannelText({ ticket }: { ticket: Pick<Ticket, 'channel'> }) {
  const label = useLabel();
  return <>{label(TICKET_CHANNEL_LABELS, ticket.channel)}</>;
}

/** "Overdue: response / solution" and "escalated to …" flags of a ticket. */
export function DeadlineTags({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  return (
    <>
      {ticket.overdue ? (
        <Tooltip
          title={t('tickets.dueAt', {
            at: dayjs(ticket.overdue === 'response' ? ticket.respondDueAt : ticket.solveDueAt).format('YYYY-MM-DD HH:mm'),
          })}
        >
          <Tag color="error" data-testid="ticket-overdue">
            {t(ticket.overdue === 'response' ? 'tickets.overdueResponse' : 'tickets.overdueSolution')}
          </Tag>
        </Tooltip>
      ) : null}
      {ticket.escalatedToUnitId ? (
        <Tag color="volcano" data-testid="ticket-escalated">
          {t('tickets.escalatedTo', { unit: ticket.escalatedToUnitName ?? '' })}
        </Tag>
      ) : null}
    </>
  );
}

export const formatTime = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
