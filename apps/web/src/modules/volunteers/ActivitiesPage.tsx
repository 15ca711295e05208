import { PlusOutlined } from '@ant-design/icons';
import { FIVE_SOCIETIES } from '@wushe/domain';
import { Button, Card, DatePicker, Form, Input, InputNumber, Segmented, Select, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, useIsMobile, useLang } from '../../app/ui';
import { UnitSelect } from '../users/UnitSelect';
import { ActivityStatusTag, fmtRange, VolunteerSelect } from './parts';
import { useAction, useActivities, useTeams } from './queries';
import type { Activity } from './types';

interface ActivityValues {
  title: string;
  description?: string;
  time: [Dayjs, Dayjs];
  place: string;
  unitId: string;
  capacity: number;
  skills?: string[];
  partners?: string[];
  teamId?: string;
  leaderId?: string;
}

/** The publish / edit fields of an activity. */
export function ActivityFields({ withUnit = true }: { withUnit?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const teams = useTeams();
  return (
    <>
      <Form.Item name="title" label={t('volunteers.activityTitle')} rules={[{ required: true }]}>
        <Input maxLength={100} data-testid="af-title" />
      </Form.Item>
      <Form.Item name="time" label={t('volunteers.time')} rules={[{ required: true }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="place" label={t('volunteers.place')} rules={[{ required: true }]}>
        <Input maxLength={200} data-testid="af-place" />
      </Form.Item>
      {withUnit ? (
        <Form.Item name="unitId" label={t('volunteers.unit')} rules={[{ required: true }]}>
          <UnitSelect />
        </Form.Item>
      ) : null}
      <Form.Item name="capacity" label={t('volunteers.capacity')} rules={[{ required: true }]}>
        <InputNumber min={1} max={10000} data-testid="af-capacity" />
      </Form.Item>
      <Form.Item name="skills" label={t('volunteers.skillsWanted')}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} />
      </Form.Item>
      <Form.Item name="partners" label={t('volunteers.partners')}>
        <Select mode="multiple" options={FIVE_SOCIETIES.map((f) => ({ value: f.value, label: lang === 'en' ? f.en : f.zh }))} />
      </Form.Item>
      <Form.Item name="teamId" label={t('volunteers.team')}>
        <Select allowClear options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
      </Form.Item>
      <Form.Item name="leaderId" label={t('volunteers.leader')}>
        <VolunteerSelect />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.description')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </>
  );
}

export const activityBody = (v: ActivityValues) => ({
  title: v.title,
  description: v.description?.trim() || null,
  startsAt: v.time[0].toISOString(),
  endsAt: v.time[1].toISOString(),
  place: v.place,
  capacity: v.capacity,
  skills: v.skills ?? [],
  partners: v.partners ?? [],
  teamId: v.teamId ?? null,
  leaderId: v.leaderId ?? null,
});

/** 志愿服务活动: the activities of the user's part of the network; publish a new one. */
export default function ActivitiesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const list = useActivities({ status: status || undefined, q: q || undefined, limit: 20, cursor: cursors[cursors.length - 1] });
  const [creating, setCreating] = useState(false);
  const act = useAction(async (body: unknown) => api<Activity>('/api/activities', { method: 'POST', body }));

  return (
    <Card
      title={t('volunteers.activitiesTitle')}
      extra={
        can('activities.write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="activity-new">
            {mobile ? null : t('volunteers.newActivity')}
          </Button>
        ) : null
      }
      data-testid="activities-page"
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          onSearch={(v) => {
            setQ(v);
            setCursors([undefined]);
          }}
          style={{ width: 240 }}
        />
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(String(v));
            setCursors([undefined]);
          }}
          options={[
            { value: '', label: t('volunteers.all') },
            { value: 'published', label: t('volunteers.published') },
            { value: 'closed', label: t('volunteers.closed') },
            { value: 'cancelled', label: t('volunteers.cancelled') },
          ]}
        />
      </Space>
      {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} compact /> : null}
      <Table<Activity>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('volunteers.noActivities') }}
        columns={[
          {
            title: t('volunteers.activityTitle'),
            dataIndex: 'title',
            render: (x, a) => (
              <Link to={`/activities/${a.id}`} data-testid="activity-link">
                {x}
              </Link>
            ),
          },
          { title: t('volunteers.time'), key: 'time', render: (_, a) => fmtRange(a) },
          { title: t('volunteers.place'), dataIndex: 'place', responsive: ['md'] },
          {
            title: t('volunteers.signedUp'),
            key: 'n',
            render: (_, a) => `${a.signedUp}/${a.capacity}${a.waitlisted ? ` +${a.waitlisted}` : ''}`,
          },
          { title: t('volunteers.leader'), dataIndex: 'leaderName', responsive: ['lg'], render: (x) => x ?? '—' },
          { title: t('volunteers.residentsServed'), dataIndex: 'residentsServed', align: 'right', responsive: ['lg'] },
          { title: t('volunteers.activityStatus'), dataIndex: 'status', render: (s) => <ActivityStatusTag status={s} /> },
        ]}
      />
      <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('common.prev')}
        </Button>
        <Button disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}>
          {t('common.next')}
        </Button>
      </Space>
      <FormModal<ActivityValues>
        open={creating}
        title={t('volunteers.newActivity')}
        width={640}
        initialValues={{ capacity: 10, partners: ['community', 'volunteer'] }}
        onCancel={() => setCreating(false)}
        rename={{ startsAt: 'time', endsAt: 'time' }}
        onSubmit={async (v) => {
          const a = (await act.mutateAsync({ ...activityBody(v), unitId: v.unitId })) as Activity;
          setCreating(false);
          navigate(`/activities/${a.id}`);
        }}
      >
        <ActivityFields />
      </FormModal>
    </Card>
  );
}
