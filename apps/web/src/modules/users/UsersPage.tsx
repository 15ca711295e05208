import { CheckOutlined, EditOutlined, KeyOutlined, LockOutlined, MinusOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { grantableRoles, isStrongPassword, PASSWORD_MIN_LENGTH, PERMISSION_LABELS, ROLE_LABELS, type Role } from '@wushe/domain';
import { App, Button, Card, Form, Input, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { useDebounced } from '../../app/hooks';
import type { RolesAnswer, User } from '../../app/types';
import { ErrorState, Loading, useIsMobile, useLabel, useLang } from '../../app/ui';
import { UnitSelect } from './UnitSelect';

const PAGE_SIZE = 20;

function useUsers(q: string, role: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['users', q, role, cursor],
    queryFn: () => api<Page<User>>('/api/users', { query: { q: q || undefined, role, cursor, limit: PAGE_SIZE, sort: 'username' } }),
    placeholderData: (prev) => prev,
  });
}

function useRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: () => api<RolesAnswer>('/api/roles'), staleTime: 10 * 60_000 });
}

interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  password: string;
  confirm: string;
  active: boolean;
}

function passwordRules(t: TFunction) {
  return [
    { required: true, message: t('auth.passwordRequired') },
    {
      validator: (_: unknown, v: string | undefined) =>
        !v || isStrongPassword(v) ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordWeak', { min: PASSWORD_MIN_LENGTH }))),
    },
  ];
}

function UserModal({ target, onClose }: { target: User | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const qc = useQueryClient();
  const { user: me } = useAuth();
  const { message } = App.useApp();
  const editing = target && target !== 'new' ? target : null;
  const roles = me ? grantableRoles(me.role) : [];

  const onSubmit = async (v: UserForm) => {
    if (editing) {
      await api(`/api/users/${editing.id}`, {
        method: 'PATCH',
        body: {
          version: editing.version,
          displayName: v.displayName.trim(),
          role: v.role,
          unitId: v.unitId ?? null,
          status: v.active ? 'active' : 'disabled',
        },
      });
      message.success(t('users.saved'));
    } else {
      await api('/api/users', {
        method: 'POST',
        body: {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          unitId: v.unitId ?? null,
          password: v.password,
        },
      });
      message.success(t('users.created', { name: v.username }));
    }
    await qc.invalidateQueries({ queryKey: ['users'] });
    onClose();
  };

  const initialValues: Partial<UserForm> = editing
    ? {
        username: editing.username,
        displayName: editing.displayName,
        role: editing.role,
        unitId: editing.unitId,
        active: editing.status === 'active',
      }
    : { role: roles.includes('station_worker') ? 'station_worker' : roles[0], unitId: me?.unit?.id ?? null, active: true };

  return (
    <FormModal<UserForm>
      open={!!target}
      title={editing ? t('users.editUser', { name: editing.username }) : t('users.newUser')}
      initialValues={initialValues}
      onCancel={onClose}
      onSubmit={onSubmit}
      data-testid="user-form"
    >
      <Form.Item
        name="username"
        label={t('users.username')}
        rules={[
          { required: true, message: t('common.required') },
          { pattern: /^[a-z0-9_.-]{3,32}$/i, message: t('users.usernameRule') },
        ]}
      >
        <Input disabled={!!editing} autoFocus={!editing} autoComplete="off" data-testid="user-username" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}
      >
        <Input autoFocus={!!editing} data-testid="user-display-name-input" />
      </Form.Item>
      <Form.Item
        name="role"
        label={t('users.role')}
        rules={[{ required: true, message: t('common.required') }]}
        extra={t('users.roleHint')}
      >
        <Select
          options={(editing && !roles.includes(editing.role) ? [...roles, editing.role] : roles).map((r) => ({
            value: r,
            label: label(ROLE_LABELS, r),
            disabled: !roles.includes(r),
          }))}
          data-testid="user-role"
        />
      </Form.Item>
      <Form.Item
        name="unitId"
        label={t('users.unit')}
        dependencies={['role']}
        rules={[({ getFieldValue }) => ({ required: getFieldValue('role') !== 'system_admin', message: t('users.unitRequired') })]}
      >
        <UnitSelect
          initial={
            editing?.unitId
              ? { id: editing.unitId, name: editing.unitName ?? editing.unitId }
              : me?.unit
                ? { id: me.unit.id, name: me.unit.name }
                : null
          }
        />
      </Form.Item>
      {editing ? (
        <Form.Item name="active" label={t('users.status')} valuePropName="checked">
          <Switch checkedChildren={t('users.active')} unCheckedChildren={t('users.disabled')} />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="password" label={t('users.initialPassword')} rules={passwordRules(t)} extra={t('users.initialPasswordHint')}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('auth.confirmPassword')}
            dependencies={['password']}
            rules={[
              { required: true, message: t('auth.passwordRequired') },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) =>
                  !v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-password-confirm" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function ResetPasswordModal({ target, onClose }: { target: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onSubmit = async (v: { password: string }) => {
    if (!target) return;
    await api(`/api/users/${target.id}/reset-password`, { method: 'POST', body: { password: v.password } });
    message.success(t('users.passwordReset', { name: target.username }));
    onClose();
  };
  return (
    <FormModal<{ password: string }>
      open={!!target}
      title={t('users.resetPasswordOf', { name: target?.username ?? '' })}
      onCancel={onClose}
      onSubmit={onSubmit}
      data-testid="reset-password"
    >
      <Typography.Paragraph type="secondary">{t('users.resetHint')}</Typography.Paragraph>
      <Form.Item name="password" label={t('auth.newPassword')} rules={passwordRules(t)}>
        <Input.Password autoFocus autoComplete="new-password" data-testid="reset-password-input" />
      </Form.Item>
    </FormModal>
  );
}

function UsersTab() {
  const { t } = useTranslation();
  const label = useLabel();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [role, setRole] = useState<string | undefined>();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const users = useUsers(q, role, cursor);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const canWrite = can('users.write');

  const resetPaging = () => setCursors([undefined]);

  return (
    <div data-testid="users-tab">
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              resetPaging();
            }}
            style={{ width: mobile ? '100%' : 260 }}
            data-testid="users-search"
          />
          <Select
            allowClear
            placeholder={t('users.role')}
            value={role}
            onChange={(v: string | undefined) => {
              setRole(v);
              resetPaging();
            }}
            style={{ width: 180 }}
            options={ROLE_LABELS.map((r) => ({ value: r.value, label: label(ROLE_LABELS, r.value) }))}
          />
        </Space>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
            {t('users.newUser')}
          </Button>
        ) : null}
      </Space>
      {users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <>
          <Table<User>
            rowKey="id"
            loading={users.isFetching}
            dataSource={users.data?.items ?? []}
            pagination={false}
            size={mobile ? 'small' : 'middle'}
            scroll={{ x: 'max-content' }}
            data-testid="users-table"
            columns={[
              { title: t('users.username'), dataIndex: 'username', fixed: mobile ? undefined : 'left' },
              { title: t('users.displayName'), dataIndex: 'displayName' },
              { title: t('users.role'), dataIndex: 'role', render: (r: Role) => label(ROLE_LABELS, r) },
              { title: t('users.unit'), dataIndex: 'unitName', render: (n: string | null) => n ?? '—' },
              {
                title: t('users.status'),
                key: 'status',
                render: (_: unknown, u) => (
                  <Space size={4}>
                    <Tag color={u.status === 'active' ? 'green' : 'default'}>
                      {u.status === 'active' ? t('users.active') : t('users.disabled')}
                    </Tag>
                    {u.locked ? (
                      <Tag color="red" icon={<LockOutlined />}>
                        {t('users.locked')}
                      </Tag>
                    ) : null}
                  </Space>
                ),
              },
              {
                title: t('users.lastLogin'),
                dataIndex: 'lastLoginAt',
                render: (d: string | null) => (d ? dayjs(d).format('YYYY-MM-DD HH:mm') : '—'),
              },
              ...(canWrite
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, u: User) => (
                        <Space>
                          <Tooltip title={t('common.edit')}>
                            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} aria-label={t('common.edit')} />
                          </Tooltip>
                          <Tooltip title={t('users.resetPassword')}>
                            <Button
                              size="small"
                              icon={<KeyOutlined />}
                              onClick={() => setResetting(u)}
                              aria-label={t('users.resetPassword')}
                            />
                          </Tooltip>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Space style={{ marginTop: 12, justifyContent: 'space-between', width: '100%' }} wrap>
            <Typography.Text type="secondary">
              {users.data?.total !== undefined ? t('common.total', { count: users.data.total }) : null}
            </Typography.Text>
            <Space>
              <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="users-prev">
                {t('common.prev')}
              </Button>
              <Typography.Text>{t('common.pageN', { n: cursors.length })}</Typography.Text>
              <Button
                disabled={!users.data?.nextCursor}
                onClick={() => {
                  const next = users.data?.nextCursor;
                  if (next) setCursors((c) => [...c, next]);
                }}
                data-testid="users-next"
              >
                {t('common.next')}
              </Button>
            </Space>
          </Space>
        </>
      )}
      <UserModal target={editing} onClose={() => setEditing(null)} />
      <ResetPasswordModal target={resetting} onClose={() => setResetting(null)} />
    </div>
  );
}

function MatrixTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const label = useLabel();
  const roles = useRoles();
  if (roles.isLoading) return <Loading rows={6} />;
  if (roles.isError) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  const data = roles.data;
  if (!data) return null;
  return (
    <Table
      rowKey="value"
      dataSource={data.roles}
      pagination={false}
      size="small"
      bordered
      scroll={{ x: 'max-content' }}
      data-testid="permission-matrix"
      columns={[
        {
          title: t('users.role'),
          dataIndex: 'value',
          fixed: 'left',
          render: (_: unknown, r) => <Typography.Text strong>{r[lang] || label(ROLE_LABELS, r.value)}</Typography.Text>,
        },
        ...data.permissions.map((p) => ({
          title: <div style={{ maxWidth: 96, whiteSpace: 'normal', fontSize: 12 }}>{p[lang] || label(PERMISSION_LABELS, p.value)}</div>,
          key: p.value,
          align: 'center' as const,
          render: (_: unknown, r: RolesAnswer['roles'][number]) =>
            r.permissions.includes(p.value) ? (
              <CheckOutlined style={{ color: '#15803d' }} aria-label="✓" />
            ) : (
              <MinusOutlined style={{ color: '#d6d3d1' }} aria-label="—" />
            ),
        })),
      ]}
    />
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="users-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <TeamOutlined /> {t('users.title')}
      </Typography.Title>
      <Card>
        <Tabs
          items={[
            { key: 'users', label: t('users.tabUsers'), children: <UsersTab /> },
            { key: 'matrix', label: <span data-testid="tab-matrix">{t('users.tabMatrix')}</span>, children: <MatrixTab /> },
          ]}
        />
      </Card>
    </div>
  );
}
