import { PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Empty, Form, Input, InputNumber, List, Radio, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, LoadMoreFooter, useIsMobile } from '../../app/ui';
import { ClientUnitSelect } from '../clients/ClientForm';
import { ClientSearchSelect } from '../households/ClientSearchSelect';

interface Group {
  id: string;
  kind: 'group' | 'activity';
  name: string;
  goals: string | null;
  unitName: string | null;
  ownerName: string | null;
  startsOn: string | null;
  endsOn: string | null;
  sessions: number;
  attendance: number;
  createdAt: string;
}
interface GroupDetail extends Group {
  sessionList: {
    id: string;
    sessionDate: string;
    topic: string;
    durationMinutes: number | null;
    notes: string | null;
    attendees: { clientId: string; name: string }[];
  }[];
}

/** 小组工作与社区活动: the other two methods, with sessions and the clients who attended. */
export default function GroupsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [kind, setKind] = useState<'all' | 'group' | 'activity'>('all');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['case-groups', 'list', kind],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Group>>('/api/case-groups', { query: { kind: kind === 'all' ? undefined : kind, limit: 20, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Group>('/api/case-groups', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['case-groups'] }),
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const kindText = (k: 'group' | 'activity') => (k === 'group' ? t('cases.groups.group') : t('cases.groups.activity'));

  return (
    <div data-testid="groups-page">
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 16 }}>
        <TeamOutlined /> {t('cases.groups.title')}
      </Typography.Title>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
          <Segmented
            value={kind}
            onChange={(v) => setKind(v as typeof kind)}
            options={[
              { value: 'all', label: t('cases.all') },
              { value: 'group', label: t('cases.groups.group') },
              { value: 'activity', label: t('cases.groups.activity') },
            ]}
          />
          {can('cases.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="group-create">
              {t('cases.groups.create')}
            </Button>
          ) : null}
        </Space>
        {list.isError && !list.data ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <List
            loading={list.isLoading}
            dataSource={items}
            locale={{ emptyText: t('cases.groups.empty') }}
            renderItem={(g) => (
              <List.Item
                onClick={() => setOpenId(g.id)}
                style={{ cursor: 'pointer' }}
                data-testid="group-row"
                extra={
                  <Typography.Text type="secondary">
                    {t('cases.groups.counts', { sessions: g.sessions, attendance: g.attendance })}
                  </Typography.Text>
                }
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <Tag color={g.kind === 'group' ? 'geekblue' : 'cyan'}>{kindText(g.kind)}</Tag>
                      <span>{g.name}</span>
                    </Space>
                  }
                  description={[g.unitName, g.ownerName, g.startsOn].filter(Boolean).join(' · ')}
                />
              </List.Item>
            )}
          />
        )}
        <LoadMoreFooter
          pages={list}
          shown={items.length}
          total={list.data?.pages[0]?.total}
          totalTestId="groups-total"
          moreTestId="groups-more"
          marginTop={12}
        />
      </Card>
      <FormModal<{ kind: 'group' | 'activity'; name: string; goals?: string; unitId: string; startsOn?: string; endsOn?: string }>
        open={creating}
        title={t('cases.groups.create')}
        onCancel={() => setCreating(false)}
        initialValues={{ kind: 'group', startsOn: dayjs().format('YYYY-MM-DD') }}
        onSubmit={async (v) => {
          const g = await create.mutateAsync({ ...v, goals: v.goals || null, startsOn: v.startsOn || null, endsOn: v.endsOn || null });
          setCreating(false);
          setOpenId(g.id);
          message.success(t('cases.saved'));
        }}
        data-testid="group-new"
      >
        <Form.Item name="kind" label={t('cases.groups.kind')} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'group', label: t('cases.groups.group') },
              { value: 'activity', label: t('cases.groups.activity') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('cases.groups.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="group-name" />
        </Form.Item>
        <Form.Item name="goals" label={t('cases.goals')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="unitId" label={t('cases.unit')} rules={[{ required: true }]}>
          <ClientUnitSelect data-testid="group-unit" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="startsOn" label={t('cases.groups.startsOn')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="endsOn" label={t('cases.groups.endsOn')}>
            <Input type="date" />
          </Form.Item>
        </Space>
      </FormModal>
      <GroupDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

function GroupDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [attendees, setAttendees] = useState<{ id: string; name: string }[]>([]);
  const q = useQuery({
    queryKey: ['case-groups', 'detail', id],
    queryFn: ({ signal }) => api<GroupDetail>(`/api/case-groups/${id}`, { signal }),
    enabled: !!id,
  });
  const addSession = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<GroupDetail>(`/api/case-groups/${id}/sessions`, { method: 'POST', body }),
    onSuccess: (g) => {
      qc.setQueryData(['case-groups', 'detail', id], g);
      void qc.invalidateQueries({ queryKey: ['case-groups', 'list'] });
    },
  });
  const g = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={mobile ? '100%' : 560} title={g?.name} destroyOnHidden data-testid="group-drawer">
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />
      ) : g ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          {g.goals ? <Typography.Paragraph>{g.goals}</Typography.Paragraph> : null}
          <Typography.Text type="secondary">{t('cases.groups.counts', { sessions: g.sessions, attendance: g.attendance })}</Typography.Text>
          {can('cases.write') ? (
            <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="group-session-add">
              {t('cases.groups.addSession')}
            </Button>
          ) : null}
          {g.sessionList.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.groups.noSessions')} />
          ) : (
            <List
              dataSource={g.sessionList}
              renderItem={(s) => (
                <List.Item data-testid="group-session">
                  <Space direction="vertical" size={2}>
                    <Space wrap>
                      <Typography.Text strong>{s.sessionDate}</Typography.Text>
                      <span>{s.topic}</span>
                      {s.durationMinutes ? (
                        <Typography.Text type="secondary">{t('cases.minutes', { n: s.durationMinutes })}</Typography.Text>
                      ) : null}
                    </Space>
                    {s.notes ? <Typography.Text>{s.notes}</Typography.Text> : null}
                    <Space size={4} wrap>
                      {s.attendees.map((a) => (
                        <Link key={a.clientId} to={`/clients/${a.clientId}`}>
                          <Tag>{a.name}</Tag>
                        </Link>
                      ))}
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Space>
      ) : null}
      <FormModal<{ sessionDate: string; topic: string; durationMinutes?: number; notes?: string; pick?: string }>
        open={adding}
        title={t('cases.groups.addSession')}
        onCancel={() => {
          setAdding(false);
          setAttendees([]);
        }}
        initialValues={{ sessionDate: dayjs().format('YYYY-MM-DD'), durationMinutes: 90 }}
        onSubmit={async (v) => {
          await addSession.mutateAsync({
            sessionDate: v.sessionDate,
            topic: v.topic,
            durationMinutes: v.durationMinutes ?? null,
            notes: v.notes || null,
            clientIds: attendees.map((a) => a.id),
          });
          setAdding(false);
          setAttendees([]);
        }}
        data-testid="group-session"
      >
        <Form.Item name="sessionDate" label={t('cases.serviceDate')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="topic" label={t('cases.groups.topic')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="group-session-topic" />
        </Form.Item>
        <Form.Item name="durationMinutes" label={t('cases.duration')}>
          <InputNumber min={1} max={1440} />
        </Form.Item>
        <Form.Item name="notes" label={t('cases.notes')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Form.Item label={t('cases.groups.attendees')}>
          <ClientSearchSelect
            value={undefined}
            exclude={attendees.map((a) => a.id)}
            onChange={
              // antd passes the chosen option too: its label carries the client's name.
              ((v: string | undefined, option?: { label?: { props?: Record<string, unknown> } }) => {
                if (!v) return;
                const name = String(option?.label?.props?.['data-client-name'] ?? v);
                setAttendees((xs) => [...xs, { id: v, name }]);
              }) as (v: string | undefined) => void
            }
            data-testid="group-attendee-pick"
          />
          <Space size={4} wrap style={{ marginTop: 8 }}>
            {attendees.map((a) => (
              <Tag key={a.id} closable onClose={() => setAttendees((xs) => xs.filter((x) => x.id !== a.id))}>
                {a.name}
              </Tag>
            ))}
          </Space>
        </Form.Item>
      </FormModal>
    </Drawer>
  );
}
