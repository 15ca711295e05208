import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, message, Segmented, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { useUrlSearch } from '../../app/hooks';
import { ErrorState, useIsMobile, useTotalText } from '../../app/ui';
import { UnitSelect } from '../users/UnitSelect';
import { Stars, VolunteerStatusTag } from './parts';
import { useAction, useVolunteerSettings, useVolunteers } from './queries';
import type { Volunteer } from './types';

type Dialog = { kind: 'register' } | { kind: 'settings' } | { kind: 'approve' | 'reject' | 'suspend'; v: Volunteer } | null;

/** 志愿者: the register of the user's part of the network; approval of applications. */
export default function VolunteersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const totalText = useTotalText();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '-createdAt';
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
    setCursors([undefined]);
  };
  const { search, setSearch } = useUrlSearch(params.get('q') ?? '', (q) => set('q', q));
  const list = useVolunteers({
    q: params.get('q') || undefined,
    status: status || undefined,
    sort,
    limit: 20,
    cursor: cursors[cursors.length - 1],
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  const settings = useVolunteerSettings(dialog?.kind === 'settings');
  const write = can('volunteers.write');
  const act = useAction(async (a: { path: string; body: unknown; method?: 'POST' | 'PUT' }) =>
    api(a.path, { method: a.method ?? 'POST', body: a.body }),
  );
  const reinstate = (v: Volunteer) =>
    act.mutate(
      { path: `/api/volunteers/${v.id}/reinstate`, body: { version: v.version } },
      { onSuccess: () => message.success(t('volunteers.saved')) },
    );

  return (
    <Card
      title={t('volunteers.title')}
      extra={
        <Space>
          {can('settings.write') ? (
            <Button onClick={() => setDialog({ kind: 'settings' })} data-testid="volunteer-settings">
              {t('volunteers.settings')}
            </Button>
          ) : null}
          {write ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'register' })} data-testid="volunteer-register">
              {mobile ? null : t('volunteers.register')}
            </Button>
          ) : null}
        </Space>
      }
      data-testid="volunteers-page"
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t('volunteers.search')}
          style={{ width: mobile ? '100%' : 300 }}
          data-testid="volunteer-search"
        />
        <Segmented
          value={status}
          onChange={(v) => set('status', String(v))}
          options={[
            { value: '', label: t('volunteers.all') },
            { value: 'pending', label: <span data-testid="filter-pending">{t('volunteers.statusPending')}</span> },
            { value: 'active', label: t('volunteers.statusActive') },
            { value: 'suspended', label: t('volunteers.statusSuspended') },
          ]}
        />
        <Select
          value={sort}
          onChange={(v) => set('sort', v)}
          style={{ width: 130 }}
          options={[
            { value: '-createdAt', label: t('volunteers.sortNewest') },
            { value: 'name', label: t('volunteers.sortName') },
            { value: '-hours', label: t('volunteers.sortHours') },
          ]}
        />
      </Space>
      {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} compact /> : null}
      <Table<Volunteer>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('volunteers.empty') }}
        columns={[
          {
            title: t('volunteers.name'),
            dataIndex: 'name',
            render: (n, v) => (
              <Link to={`/volunteers/${v.id}`} data-testid="volunteer-link">
                {n}
              </Link>
            ),
          },
          { title: t('volunteers.idNumber'), dataIndex: 'idNumberMasked', responsive: ['md'] },
          { title: t('volunteers.phone'), dataIndex: 'phoneMasked', responsive: ['lg'] },
          { title: t('volunteers.unit'), dataIndex: 'unitName', responsive: ['lg'] },
          { title: t('volunteers.skills'), dataIndex: 'skills', render: (s: string[]) => s.join('、'), responsive: ['md'] },
          { title: t('volunteers.status'), dataIndex: 'status', render: (s) => <VolunteerStatusTag status={s} /> },
          { title: t('volunteers.hours'), dataIndex: 'hours', align: 'right', render: (h) => t('volunteers.hoursValue', { hours: h }) },
          { title: t('volunteers.stars'), dataIndex: 'stars', render: (n) => <Stars n={n} />, responsive: ['md'] },
          {
            title: '',
            key: 'actions',
            render: (_, v) =>
              write ? (
                <Space size={4}>
                  {v.status === 'pending' ? (
                    <>
                      <Button size="small" type="primary" onClick={() => setDialog({ kind: 'approve', v })} data-testid="volunteer-approve">
                        {t('volunteers.approve')}
                      </Button>
                      <Button size="small" onClick={() => setDialog({ kind: 'reject', v })}>
                        {t('volunteers.reject')}
                      </Button>
                    </>
                  ) : null}
                  {v.status === 'active' ? (
                    <Button size="small" onClick={() => setDialog({ kind: 'suspend', v })}>
                      {t('volunteers.suspend')}
                    </Button>
                  ) : null}
                  {v.status === 'suspended' ? (
                    <Button size="small" onClick={() => reinstate(v)}>
                      {t('volunteers.reinstate')}
                    </Button>
                  ) : null}
                </Space>
              ) : null,
          },
        ]}
      />
      <Space style={{ marginTop: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary">{list.data ? totalText(list.data.total ?? 0) : ''}</Typography.Text>
        <Space>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('common.prev')}
          </Button>
          <Button disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}>
            {t('common.next')}
          </Button>
        </Space>
      </Space>

      <FormModal<{
        name: string;
        idNumber: string;
        phone: string;
        unitId: string;
        skills?: string[];
        availability?: string;
        isCourier?: boolean;
      }>
        open={dialog?.kind === 'register'}
        title={t('volunteers.register')}
        onCancel={() => setDialog(null)}
        onSubmit={async (b) => {
          await act.mutateAsync({ path: '/api/volunteers', body: { ...b, skills: b.skills ?? [], isCourier: !!b.isCourier } });
          setDialog(null);
        }}
      >
        <VolunteerFields />
      </FormModal>

      <FormModal<{ username: string; password: string }>
        open={dialog?.kind === 'approve'}
        title={dialog && 'v' in dialog ? t('volunteers.approveTitle', { name: dialog.v.name }) : ''}
        onCancel={() => setDialog(null)}
        okText={t('volunteers.approve')}
        data-testid="approve-form"
        onSubmit={async (b) => {
          if (dialog?.kind !== 'approve') return;
          await act.mutateAsync({ path: `/api/volunteers/${dialog.v.id}/approve`, body: { version: dialog.v.version, ...b } });
          message.success(t('volunteers.approved'));
          setDialog(null);
        }}
      >
        <Typography.Paragraph type="secondary">{t('volunteers.approveHelp')}</Typography.Paragraph>
        <Form.Item name="username" label={t('volunteers.username')} rules={[{ required: true }]}>
          <Input autoComplete="off" data-testid="approve-username" />
        </Form.Item>
        <Form.Item name="password" label={t('volunteers.tempPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" data-testid="approve-password" />
        </Form.Item>
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'reject' || dialog?.kind === 'suspend'}
        title={
          dialog && 'v' in dialog
            ? t(dialog.kind === 'reject' ? 'volunteers.rejectTitle' : 'volunteers.suspendTitle', { name: dialog.v.name })
            : ''
        }
        onCancel={() => setDialog(null)}
        onSubmit={async (b) => {
          if (dialog?.kind !== 'reject' && dialog?.kind !== 'suspend') return;
          await act.mutateAsync({ path: `/api/volunteers/${dialog.v.id}/${dialog.kind}`, body: { version: dialog.v.version, ...b } });
          setDialog(null);
        }}
      >
        <Form.Item name="reason" label={t('volunteers.reason')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
      {settings.data ? (
        <FormModal<{ starHours: number[] }>
          open={dialog?.kind === 'settings'}
          title={t('volunteers.settings')}
          initialValues={{ starHours: settings.data.starHours }}
          onCancel={() => setDialog(null)}
          onSubmit={async (b) => {
            await act.mutateAsync({
              path: '/api/volunteer-settings',
              body: { version: settings.data?.version, starHours: b.starHours },
              method: 'PUT',
            });
            setDialog(null);
          }}
        >
          <Typography.Paragraph type="secondary">{t('volunteers.starHours')}</Typography.Paragraph>
          <Space wrap>
            {[0, 1, 2, 3, 4].map((i) => (
              <Form.Item key={i} name={['starHours', i]} label={'★'.repeat(i + 1)} rules={[{ required: true }]}>
                <InputNumber min={1} max={100000} />
              </Form.Item>
            ))}
          </Space>
        </FormModal>
      ) : null}
    </Card>
  );
}

/** The registration fields, shared by the station's dialog and the public page (which brings its own unit list). */
export function VolunteerFields({ unitField }: { unitField?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('volunteers.name')} rules={[{ required: true }]}>
        <Input maxLength={50} data-testid="vf-name" />
      </Form.Item>
      <Form.Item name="idNumber" label={t('volunteers.idNumber')} rules={[{ required: true }]}>
        <Input maxLength={18} data-testid="vf-id-number" />
      </Form.Item>
      <Form.Item name="phone" label={t('volunteers.phone')} rules={[{ required: true }]}>
        <Input maxLength={20} inputMode="tel" data-testid="vf-phone" />
      </Form.Item>
      {unitField ?? (
        <Form.Item name="unitId" label={t('volunteers.unit')} rules={[{ required: true }]}>
          <UnitSelect />
        </Form.Item>
      )}
      <Form.Item name="skills" label={t('volunteers.skills')} extra={t('volunteers.skillsHelp')}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} data-testid="vf-skills" />
      </Form.Item>
      <Form.Item name="availability" label={t('volunteers.availability')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="isCourier" label={t('volunteers.courier')} extra={t('volunteers.courierHelp')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </>
  );
}
