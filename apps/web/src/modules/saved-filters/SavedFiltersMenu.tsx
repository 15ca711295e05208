import { DeleteOutlined, DownOutlined, EditOutlined, FilterOutlined, SaveOutlined, SettingOutlined } from '@ant-design/icons';
import { SAVED_FILTER_LIMITS, type SavedFilterPage } from '@wushe/domain';
import type { MenuProps } from 'antd';
import { App, Button, Dropdown, Empty, Form, Input, List, Modal, Popconfirm, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../app/FormModal';
import { ErrorState, useErrorText, useIsMobile } from '../../app/ui';
import { canonicalQuery, type SavedFilter, useSavedFilterMutations, useSavedFilters } from './queries';

/** One query parameter of a page in words ("风险等级：高风险"); null or undefined: the parameter as it is. */
export type DescribeParam = (key: string, value: string) => string | null | undefined;

/** The conditions of a saved filter, readable: "搜索「张」 · 风险等级：高风险 · 只看逾期". */
function describeQuery(query: string, describe: DescribeParam | undefined, t: TFunction): string {
  return [...new URLSearchParams(query).entries()]
    .map(([k, v]) => describe?.(k, v) ?? (k === 'q' ? t('savedFilters.search', { text: v }) : v ? `${k}=${v}` : k))
    .join(' · ');
}

/**
 * "我的筛选" of a list page: apply one of the user's saved filters, save the current one (the page's URL
 * query string) under a name, rename or delete them.
 */
export function SavedFiltersMenu({
  page,
  query,
  onApply,
  describe,
}: {
  page: SavedFilterPage;
  /** The page's current filter as a URL query string. */
  query: string;
  onApply: (query: string) => void;
  /** The page's parameters in words (search text is described here). */
  describe?: DescribeParam;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const filters = useSavedFilters(page);
  const { create, rename, remove } = useSavedFilterMutations(page);
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const [renaming, setRenaming] = useState<SavedFilter | null>(null);
  const current = canonicalQuery(query);
  const active = useMemo(() => filters.data?.find((f) => canonicalQuery(f.query) === current), [filters.data, current]);
  const items = filters.data ?? [];
  const full = items.length >= SAVED_FILTER_LIMITS.perPage;

  const menu: MenuProps = {
    items: [
      ...(items.length
        ? items.map((f) => ({
            key: f.id,
            label: (
              <span data-testid="saved-filter-option" data-name={f.name}>
                {f.name}
              </span>
            ),
          }))
        : [{ key: '_none', disabled: true, label: <span data-testid="saved-filters-none">{t('savedFilters.none')}</span> }]),
      { type: 'divider' as const },
      {
        key: '_save',
        icon: <SaveOutlined />,
        disabled: full,
        label: <span data-testid="saved-filter-save">{t('savedFilters.saveCurrent')}</span>,
      },
      {
        key: '_manage',
        icon: <SettingOutlined />,
        disabled: items.length === 0,
        label: <span data-testid="saved-filters-manage">{t('savedFilters.manage')}</span>,
      },
    ],
    selectable: true,
    selectedKeys: active ? [active.id] : [],
    onClick: ({ key }) => {
      if (key === '_save') setSaving(true);
      else if (key === '_manage') setManaging(true);
      else {
        const f = items.find((x) => x.id === key);
        if (f) {
          onApply(f.query);
          message.success(t('savedFilters.applied', { name: f.name }));
        }
      }
    },
  };

  return (
    <>
      <Dropdown menu={menu} trigger={['click']} placement="bottomLeft">
        <Button icon={<FilterOutlined />} data-testid="saved-filters-button" data-active={active?.name ?? ''}>
          <Space size={4}>
            <span
              style={{
                maxWidth: mobile ? 120 : 220,
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                display: 'inline-block',
                verticalAlign: 'bottom',
              }}
            >
              {active ? `${t('savedFilters.button')}：${active.name}` : t('savedFilters.button')}
            </span>
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Button>
      </Dropdown>
      <FormModal<{ name: string }>
        open={saving}
        title={t('savedFilters.saveTitle')}
        onCancel={() => setSaving(false)}
        data-testid="saved-filter-form"
        onSubmit={async ({ name }) => {
          const f = await create.mutateAsync({ name: name.trim(), query: current });
          setSaving(false);
          message.success(t('savedFilters.saved', { name: f.name }));
        }}
      >
        <Form.Item
          name="name"
          label={t('savedFilters.name')}
          rules={[{ required: true, whitespace: true, message: t('savedFilters.nameRequired') }]}
          extra={
            <>
              {t('savedFilters.query')}：{describeQuery(current, describe, t) || t('savedFilters.emptyQuery')}
            </>
          }
        >
          <Input
            maxLength={SAVED_FILTER_LIMITS.nameMax}
            showCount
            autoFocus
            placeholder={t('savedFilters.namePlaceholder')}
            data-testid="saved-filter-name"
          />
        </Form.Item>
      </FormModal>
      <Modal
        open={managing}
        title={t('savedFilters.manage')}
        onCancel={() => setManaging(false)}
        footer={null}
        destroyOnHidden
        data-testid="saved-filters-modal"
      >
        {filters.isError ? (
          <ErrorState error={filters.error} onRetry={() => void filters.refetch()} compact />
        ) : (
          <List<SavedFilter>
            dataSource={items}
            locale={{ emptyText: <Empty description={t('savedFilters.none')} /> }}
            renderItem={(f) => (
              <List.Item
                data-testid="saved-filter-row"
                data-name={f.name}
                actions={[
                  <Button
                    key="rename"
                    size="small"
                    type="text"
                    icon={<EditOutlined />}
                    aria-label={t('savedFilters.rename')}
                    onClick={() => setRenaming(f)}
                    data-testid="saved-filter-rename"
                  />,
                  <Popconfirm
                    key="delete"
                    title={t('savedFilters.deleteConfirm', { name: f.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true, ...{ 'data-testid': 'saved-filter-delete-confirm' } }}
                    onConfirm={async () => {
                      try {
                        await remove.mutateAsync(f.id);
                        message.success(t('savedFilters.deleted', { name: f.name }));
                      } catch (e) {
                        message.error(errorText(e));
                      }
                    }}
                  >
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('common.delete')}
                      data-testid="saved-filter-delete"
                    />
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Typography.Link
                      onClick={() => {
                        onApply(f.query);
                        setManaging(false);
                      }}
                    >
                      {f.name}
                    </Typography.Link>
                  }
                  description={
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: '100%' }}>
                      {describeQuery(f.query, describe, t) || t('savedFilters.emptyQuery')}
                    </Typography.Text>
                  }
                />
              </List.Item>
            )}
          />
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('savedFilters.limitHint', { count: SAVED_FILTER_LIMITS.perPage })}
        </Typography.Text>
      </Modal>
      <FormModal<{ name: string }>
        open={!!renaming}
        title={t('savedFilters.rename')}
        initialValues={{ name: renaming?.name }}
        onCancel={() => setRenaming(null)}
        data-testid="saved-filter-rename-form"
        onSubmit={async ({ name }) => {
          if (!renaming) return;
          await rename.mutateAsync({ id: renaming.id, name: name.trim() });
          setRenaming(null);
          message.success(t('savedFilters.renamed'));
        }}
      >
        <Form.Item
          name="name"
          label={t('savedFilters.name')}
          rules={[{ required: true, whitespace: true, message: t('savedFilters.nameRequired') }]}
        >
          <Input maxLength={SAVED_FILTER_LIMITS.nameMax} showCount autoFocus data-testid="saved-filter-rename-name" />
        </Form.Item>
      </FormModal>
    </>
  );
}
