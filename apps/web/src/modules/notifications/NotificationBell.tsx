import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Drawer, Dropdown, Empty, List, Spin, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLiveEvents } from '../../app/events';
import { useErrorText, useIsMobile } from '../../app/ui';

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  entityType: string | null;
  entityId: string | null;
  readAt: string | null;
  createdAt: string;
}

interface NotificationsAnswer {
  items: AppNotification[];
  nextCursor: string | null;
  unread: number;
}

const KEY = ['notifications'] as const;

/** Where a notification leads in the console. */
function targetOf(n: AppNotification): string | null {
  if (n.entityType === 'visit_overdue') return '/visits';
  if (n.entityType === 'client' && n.entityId) return `/clients/${n.entityId}`;
  if (n.kind.startsWith('daily_report.')) return '/daily-report';
  if (n.entityType === 'ticket' && n.entityId) return `/tickets/${n.entityId}`;
  if (n.entityType === 'case' && n.entityId) return `/cases/${n.entityId}`;
  if (n.entityType === 'case_overdue') return '/cases';
  if (n.entityType === 'referral') return '/referrals';
  return null;
}

/**
 * Header bell: the latest notifications in a dropdown, kept current by the live event stream
 * (`notification.created`); polled every minute only when the stream is not available.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const enabled = can('notifications.read');
  const live = useLiveEvents(
    ['notification.created'],
    (type, data) => {
      const n = data as Partial<AppNotification> | null;
      if (type === 'notification.created' && n?.id && n.title && n.createdAt) {
        // Shown at once; the refetch below brings the full row and the exact count.
        qc.setQueryData<NotificationsAnswer>(KEY, (old) =>
          old && !old.items.some((x) => x.id === n.id)
            ? {
                ...old,
                unread: old.unread + 1,
                items: [
                  {
                    id: n.id as string,
                    kind: n.kind ?? '',
                    title: n.title as string,
                    body: null,
                    entityType: null,
                    entityId: null,
                    readAt: null,
                    createdAt: n.createdAt as string,
                  },
                  ...old.items,
                ],
              }
            : old,
        );
      }
      void qc.invalidateQueries({ queryKey: KEY });
    },
    enabled,
  );
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => api<NotificationsAnswer>('/api/notifications', { query: { limit: 20 } }),
    enabled,
    refetchInterval: live ? false : 60_000,
    refetchIntervalInBackground: false,
    staleTime: 10_000,
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api(`/api/notifications/${id}/read`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
    onError: (e) => message.error(errorText(e)),
  });
  /** Known kinds are worded in the console's language; others show the server's title. */
  const titleOf = (n: AppNotification) => {
    const count = /\d+/.exec(n.title)?.[0];
    if (n.kind === 'visit_overdue' && count) return t('notifications.kinds.visit_overdue', { count: Number(count) });
    return n.title;
  };
  if (!enabled) return null;
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const panel = (
    <div
      style={{
        width: mobile ? '100%' : 360,
        maxHeight: mobile ? undefined : 440,
        overflow: 'auto',
        background: token.colorBgElevated,
        borderRadius: mobile ? 0 : token.borderRadiusLG,
        boxShadow: mobile ? undefined : token.boxShadowSecondary,
      }}
      data-testid="notifications-panel"
    >
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '10px 14px',
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          loading={markRead.isPending}
          onClick={() => markRead.mutate('all')}
          data-testid="notifications-read-all"
        >
          {t('notifications.markAllRead')}
        </Button>
      </div>
      {list.isLoading ? (
        <div style={{ padding: 24, textAlign: 'center' }}>
          <Spin />
        </div>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} style={{ padding: 16 }} />
      ) : (
        <List<AppNotification>
          dataSource={items}
          renderItem={(n) => {
            const to = targetOf(n);
            return (
              <List.Item
                style={{
                  padding: '10px 14px',
                  background: n.readAt ? undefined : token.colorPrimaryBg,
                  cursor: to ? 'pointer' : 'default',
                }}
                onClick={() => {
                  if (!n.readAt) markRead.mutate(n.id);
                  if (to) {
                    setOpen(false);
                    navigate(to);
                  }
                }}
                actions={
                  n.readAt
                    ? undefined
                    : [
                        <Button
                          key="read"
                          size="small"
                          type="link"
                          onClick={(e) => {
                            e.stopPropagation();
                            markRead.mutate(n.id);
                          }}
                          data-testid="notification-read"
                        >
                          {t('notifications.markRead')}
                        </Button>,
                      ]
                }
                data-testid="notification-item"
              >
                <List.Item.Meta
                  title={<Typography.Text strong={!n.readAt}>{titleOf(n)}</Typography.Text>}
                  description={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}
                    </Typography.Text>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );

  const bell = (
    <Button
      type="text"
      aria-label={t('notifications.title')}
      onClick={mobile ? () => setOpen(true) : undefined}
      data-testid="notifications-bell"
    >
      <Badge count={unread} size="small" overflowCount={99} data-testid="notifications-unread" data-unread={unread}>
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );

  // a phone gets the list as a full-width sheet; a dropdown would not fit beside the header buttons
  if (mobile)
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="top"
          size="70%"
          title={null}
          closable={false}
          styles={{ body: { padding: 0 } }}
        >
          {panel}
        </Drawer>
      </>
    );

  return (
    <Dropdown open={open} onOpenChange={setOpen} trigger={['click']} placement="bottomRight" popupRender={() => panel}>
      {bell}
    </Dropdown>
  );
}
