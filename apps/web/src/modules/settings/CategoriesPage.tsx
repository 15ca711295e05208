import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
  SettingOutlined,
  StopOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, useErrorText, useIsMobile, useLang } from '../../app/ui';
import { CATEGORIES_KEY, type CategoryDefinition, useCategoryList } from './queries';

const CODE = /^[a-z][a-z0-9_]{1,39}$/;

interface CategoryForm {
  code: string;
  labelZh: string;
  labelEn: string;
}

function CategoryModal({ target, onClose }: { target: CategoryDefinition | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const editing = target && target !== 'new' ? target : null;

  const onSubmit = async (v: CategoryForm) => {
    if (editing) {
      await api(`/api/settings/categories/${editing.code}`, {
        method: 'PATCH',
        body: { version: editing.version, labelZh: v.labelZh.trim(), labelEn: v.labelEn.trim() },
      });
      message.success(t('categories.saved', { name: v.labelZh.trim() }));
    } else {
      await api('/api/settings/categories', {
        method: 'POST',
        body: { code: v.code.trim(), labelZh: v.labelZh.trim(), labelEn: v.labelEn.trim() },
      });
      message.success(t('categories.created', { name: v.labelZh.trim() }));
    }
    await qc.invalidateQueries({ queryKey: CATEGORIES_KEY });
    onClose();
  };

  return (
    <FormModal<CategoryForm>
      open={!!target}
      title={editing ? t('categories.editTitle', { name: editing.labelZh }) : t('categories.newTitle')}
      initialValues={editing ? { code: editing.code, labelZh: editing.labelZh, labelEn: editing.labelEn } : {}}
      onCancel={onClose}
      onSubmit={onSubmit}
      data-testid="category-form"
    >
      <Form.Item
        name="labelZh"
        label={t('categories.labelZh')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 20 }]}
      >
        <Input autoFocus placeholder={t('categories.labelZhPlaceholder')} data-testid="category-label-zh" />
      </Form.Item>
      <Form.Item
        name="labelEn"
        label={t('categories.labelEn')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}
      >
        <Input placeholder={t('categories.labelEnPlaceholder')} data-testid="category-label-en" />
      </Form.Item>
      <Form.Item
        name="code"
        label={t('categories.code')}
        extra={editing ? t('categories.codeFixed') : t('categories.codeHint')}
        rules={[
          { required: true, message: t('common.required') },
          { pattern: CODE, message: t('categories.codeRule') },
        ]}
      >
        <Input disabled={!!editing} placeholder={t('categories.codePlaceholder')} autoComplete="off" data-testid="category-code" />
      </Form.Item>
    </FormModal>
  );
}

/** 系统设置 → 对象类别: the deployment's client categories (add, rename, reorder, retire, delete when unused). */
export default function CategoriesPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canWrite = can('settings.write');
  const list = useCategoryList();
  const items = list.data ?? [];
  const [editing, setEditing] = useState<CategoryDefinition | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  /** The message of a refusal: the reason of its first detail (category_in_use, …) when the catalogue has one. */
  const refusal = (err: unknown) => {
    const detail = err instanceof ApiError ? err.details[0]?.code : undefined;
    return detail ? t(`errors.${detail}`, { defaultValue: errorText(err) }) : errorText(err);
  };

  const run = async (code: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(code);
    try {
      await fn();
      if (done) message.success(done);
    } catch (err) {
      message.error(refusal(err));
    } finally {
      setBusy(null);
      await qc.invalidateQueries({ queryKey: CATEGORIES_KEY });
    }
  };

  const patch = (c: CategoryDefinition, body: Record<string, unknown>) =>
    api(`/api/settings/categories/${c.code}`, { method: 'PATCH', body: { version: c.version, ...body } });

  /** Moves a row one place up or down: rows are renumbered 10, 20, 30 … and only those whose number changes are saved. */
  const move = (index: number, delta: -1 | 1) => {
    const order = [...items];
    const [row] = order.splice(index, 1);
    order.splice(index + delta, 0, row);
    void run(row.code, async () => {
      for (const [i, c] of order.entries()) {
        const sortOrder = (i + 1) * 10;
        if (c.sortOrder !== sortOrder) await patch(c, { sortOrder });
      }
    });
  };

  const name = (c: CategoryDefinition) => (lang === 'en' ? c.labelEn : c.labelZh);
  const statusTags = (c: CategoryDefinition) => (
    <Space size={[4, 4]} wrap>
      <Tag color={c.active ? 'green' : 'default'} data-testid="category-status" data-active={String(c.active)}>
        {c.active ? t('categories.active') : t('categories.retired')}
      </Tag>
      {c.builtin ? <Tag>{t('categories.builtin')}</Tag> : null}
      {c.used ? <Tag color="blue">{t('categories.used')}</Tag> : null}
    </Space>
  );

  return (
    <div data-testid="categories-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <SettingOutlined /> {t('categories.title')}
      </Typography.Title>
      <Card>
        <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between', alignItems: 'flex-start' }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 720 }}>
            {t('categories.intro')}
          </Typography.Paragraph>
          {canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="category-create">
              {t('categories.new')}
            </Button>
          ) : null}
        </Space>
        {list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<CategoryDefinition>
            rowKey="code"
            loading={list.isFetching}
            dataSource={items}
            pagination={false}
            size={mobile ? 'small' : 'middle'}
            scroll={{ x: 'max-content' }}
            data-testid="categories-table"
            onRow={(c) => ({ 'data-testid': 'category-def-row', 'data-code': c.code }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('categories.order'),
                key: 'order',
                width: mobile ? 48 : 88,
                render: (_: unknown, _c, i) => (
                  <Space size={4} orientation={mobile ? 'vertical' : 'horizontal'}>
                    <Tooltip title={t('categories.moveUp')}>
                      <Button
                        size="small"
                        type="text"
                        icon={<ArrowUpOutlined />}
                        disabled={!canWrite || i === 0 || busy !== null}
                        onClick={() => move(i, -1)}
                        aria-label={t('categories.moveUp')}
                        data-testid="category-up"
                      />
                    </Tooltip>
                    <Tooltip title={t('categories.moveDown')}>
                      <Button
                        size="small"
                        type="text"
                        icon={<ArrowDownOutlined />}
                        disabled={!canWrite || i === items.length - 1 || busy !== null}
                        onClick={() => move(i, 1)}
                        aria-label={t('categories.moveDown')}
                        data-testid="category-down"
                      />
                    </Tooltip>
                  </Space>
                ),
              },
              {
                title: t('categories.name'),
                key: 'name',
                render: (_: unknown, c) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text strong delete={!c.active} data-testid="category-name">
                      {name(c)}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {lang === 'en' ? c.labelZh : c.labelEn}
                    </Typography.Text>
                    {/* A phone has no room for more columns: the code and the status go under the name. */}
                    {mobile ? (
                      <Space orientation="vertical" size={4} style={{ marginTop: 4 }}>
                        <Typography.Text code>{c.code}</Typography.Text>
                        {statusTags(c)}
                      </Space>
                    ) : null}
                  </Space>
                ),
              },
              ...(mobile
                ? []
                : [
                    {
                      title: t('categories.code'),
                      dataIndex: 'code',
                      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
                    },
                    {
                      title: t('categories.status'),
                      key: 'status',
                      render: (_: unknown, c: CategoryDefinition) => statusTags(c),
                    },
                  ]),
              ...(canWrite
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, c: CategoryDefinition) => (
                        <Space size={4} orientation={mobile ? 'vertical' : 'horizontal'}>
                          <Tooltip title={t('common.edit')}>
                            <Button
                              size="small"
                              icon={<EditOutlined />}
                              onClick={() => setEditing(c)}
                              aria-label={t('common.edit')}
                              data-testid="category-edit"
                            />
                          </Tooltip>
                          {c.active ? (
                            <Popconfirm
                              title={t('categories.retireConfirm', { name: name(c) })}
                              description={t('categories.retireHint')}
                              okText={t('categories.retire')}
                              cancelText={t('common.cancel')}
                              onConfirm={() =>
                                run(c.code, () => patch(c, { active: false }), t('categories.retiredDone', { name: name(c) }))
                              }
                            >
                              <Button size="small" icon={<StopOutlined />} loading={busy === c.code} data-testid="category-retire">
                                {mobile ? null : t('categories.retire')}
                              </Button>
                            </Popconfirm>
                          ) : (
                            <Button
                              size="small"
                              icon={<UndoOutlined />}
                              loading={busy === c.code}
                              onClick={() =>
                                run(c.code, () => patch(c, { active: true }), t('categories.reactivatedDone', { name: name(c) }))
                              }
                              data-testid="category-reactivate"
                            >
                              {mobile ? null : t('categories.reactivate')}
                            </Button>
                          )}
                          {!c.builtin && !c.used ? (
                            <Popconfirm
                              title={t('categories.deleteConfirm', { name: name(c) })}
                              okText={t('common.delete')}
                              okButtonProps={{ danger: true }}
                              cancelText={t('common.cancel')}
                              onConfirm={() =>
                                run(
                                  c.code,
                                  () => api(`/api/settings/categories/${c.code}`, { method: 'DELETE', query: { version: c.version } }),
                                  t('categories.deleted', { name: name(c) }),
                                )
                              }
                            >
                              <Tooltip title={t('common.delete')}>
                                <Button
                                  size="small"
                                  danger
                                  icon={<DeleteOutlined />}
                                  aria-label={t('common.delete')}
                                  data-testid="category-delete"
                                />
                              </Tooltip>
                            </Popconfirm>
                          ) : null}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
        {canWrite ? (
          <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('categories.deleteRule')} data-testid="categories-hint" />
        ) : null}
      </Card>
      <CategoryModal target={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
