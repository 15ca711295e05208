import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../app/ui';
import { NeedsView, NewNeedModal } from './NeedParts';
import { useNeedList } from './queries';

/** 需求 tab of a client page. */
export function ClientNeedsTab({ clientId, canWrite }: { clientId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const list = useNeedList({ clientId });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const [creating, setCreating] = useState(false);
  if (list.isError && !list.data) return <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />;
  return (
    <div data-testid="client-needs">
      {canWrite ? (
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginBottom: 12 }} data-testid="need-create">
          {t('needs.create')}
        </Button>
      ) : null}
      <NeedsView
        items={items}
        loading={list.isLoading || (list.isFetching && !list.isFetchingNextPage)}
        canWrite={canWrite}
        showClient={false}
        emptyText={t('needs.none')}
      />
      {list.hasNextPage ? (
        <Button
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          style={{ marginTop: 12 }}
          data-testid="client-needs-more"
        >
          {t('common.loadMore')}
        </Button>
      ) : null}
      <NewNeedModal clientId={clientId} open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
