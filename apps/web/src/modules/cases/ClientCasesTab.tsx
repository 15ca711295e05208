import { PlusOutlined } from '@ant-design/icons';
import { Button, List, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { ErrorState } from '../../app/ui';
import { NewCaseModal } from './CaseDialogs';
import { StageTag } from './CasePage';
import { useCaseList, useCreateCase } from './queries';

/** 个案 tab of a client page: the client's cases and "new case" (接案), which opens the new case. */
export function ClientCasesTab({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const list = useCaseList({ clientId });
  const create = useCreateCase();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [creating, setCreating] = useState(false);
  if (!can('cases.read')) return null;
  if (list.isError && !list.data) return <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />;
  return (
    <div data-testid="client-cases">
      {can('cases.write') ? (
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginBottom: 12 }} data-testid="client-new-case">
          {t('cases.create')}
        </Button>
      ) : null}
      <List
        loading={list.isLoading}
        dataSource={items}
        locale={{ emptyText: t('cases.none') }}
        renderItem={(k) => (
          <List.Item data-testid="client-case-item">
            <Space direction="vertical" size={2}>
              <Link to={`/cases/${k.id}`}>{k.title}</Link>
              <Space wrap>
                <StageTag k={k} />
                <Typography.Text type="secondary">
                  {k.ownerName} · {t('cases.due')} {k.dueDate ?? t('cases.noDue')}
                </Typography.Text>
              </Space>
            </Space>
          </List.Item>
        )}
      />
      {list.hasNextPage ? (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t('common.loadMore')}
        </Button>
      ) : null}
      <NewCaseModal
        open={creating}
        onClose={() => setCreating(false)}
        onSubmit={async (body) => {
          const k = await create.mutateAsync({ ...body, clientId });
          setCreating(false);
          navigate(`/cases/${k.id}`);
        }}
      />
    </div>
  );
}
