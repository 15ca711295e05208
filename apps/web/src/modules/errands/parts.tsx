import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Errand, ErrandStatus } from './types';

const STATUS_COLOR: Record<ErrandStatus, string> = {
  open: 'green',
  assigned: 'blue',
  done: 'orange',
  confirmed: 'default',
  cancelled: 'default',
  expired: 'default',
};

/** An errand's status as a coloured tag (the board and the volunteer's own view). */
export function ErrandStatusTag({ status }: { status: ErrandStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="errand-status" style={{ marginInlineEnd: 0 }}>
      {t(`errands.statuses.${status}`)}
    </Tag>
  );
}

/** The errand's time window, short: "05-12 09:00 – 11:00" (the end's date only when it is another day). */
export function errandWindow(e: Pick<Errand, 'windowFrom' | 'windowTo'>): string {
  const end = dayjs(e.windowTo).isSame(e.windowFrom, 'day') ? dayjs(e.windowTo).format('HH:mm') : dayjs(e.windowTo).format('MM-DD HH:mm');
  return `${dayjs(e.windowFrom).format('MM-DD HH:mm')} – ${end}`;
}
