import { ShareAltOutlined } from '@ant-design/icons';
import { Button, List, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { ErrorState } from '../../app/ui';
import { useReferralList } from './queries';
import { NewReferralModal } from './ReferralDialogs';
import { ReferralDrawer, ReferralTags } from './ReferralsPage';

/** 转介 / 移交 tab of a client page: the client's hand-overs and the action that starts one (with the consent step). */
export function ClientReferralsTab({ client }: { client: { id: string; name: string; status: string } }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useReferralList({ clientId: client.id });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  if (list.isError && !list.data) return <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />;
  return (
    <div data-testid="client-referrals">
      {can('referrals.write') && client.status === 'active' ? (
        <Button
          type="primary"
          icon={<ShareAltOutlined />}
          onClick={() => setCreating(true)}
          style={{ marginBottom: 12 }}
          data-testid="client-refer"
        >
          {t('referrals.action')}
        </Button>
      ) : null}
      <List
        loading={list.isLoading}
        dataSource={items}
        locale={{ emptyText: t('referrals.clientEmpty') }}
        renderItem={(r) => (
          <List.Item data-testid="client-referral-item" onClick={() => setOpenId(r.id)} style={{ cursor: 'pointer' }}>
            <Space direction="vertical" size={2}>
              <Space wrap>
                <ReferralTags r={r} />
                <Typography.Text>
                  {r.fromUnitName} → {r.toName}
                </Typography.Text>
              </Space>
              <Typography.Text type="secondary">
                {dayjs(r.sentAt).format('YYYY-MM-DD')} · {r.summary}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <NewReferralModal client={client} open={creating} onClose={() => setCreating(false)} />
      <ReferralDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
