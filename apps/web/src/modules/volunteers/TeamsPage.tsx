import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Form, Input, List, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, useErrorText } from '../../app/ui';
import { UnitSelect } from '../users/UnitSelect';
import { VolunteerSelect, VolunteerStatusTag } from './parts';
import { useAction, useTeam, useTeams } from './queries';
import type { Team } from './types';

/** 志愿服务队: teams of the user's part of the network, with their leader and members. */
export default function TeamsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const errorText = useErrorText();
  const write = can('volunteers.write');
  const [q, setQ] = useState('');
  const teams = useTeams(q || undefined);
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const team = useTeam(openId);
  const [member, setMember] = useState<string | null>(null);
  const act = useAction(async (a: { method: 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown }) =>
    api(a.path, { method: a.method, body: a.body }),
  );

  return (
    <Card
      title={t('volunteers.teamsTitle')}
      extra={
        write ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-new">
            {t('volunteers.newTeam')}
          </Button>
        ) : null
      }
      data-testid="teams-page"
    >
      <Input.Search allowClear onSearch={setQ} style={{ maxWidth: 300, marginBottom: 12 }} placeholder={t('volunteers.teamName')} />
      {teams.error ? <ErrorState error={teams.error} onRetry={() => teams.refetch()} compact /> : null}
      <Table<Team>
        rowKey="id"
        loading={teams.isLoading}
        dataSource={teams.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('volunteers.noTeams') }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('volunteers.teamName'), dataIndex: 'name' },
          { title: t('volunteers.leader'), dataIndex: 'leaderName', render: (n) => n ?? '—' },
          { title: t('volunteers.memberCount'), dataIndex: 'memberCount', align: 'right' },
          { title: t('volunteers.unit'), dataIndex: 'unitName', responsive: ['md'] },
          { title: t('volunteers.description'), dataIndex: 'description', responsive: ['lg'] },
        ]}
      />
      <FormModal<{ name: string; unitId: string; leaderId?: string; description?: string }>
        open={creating}
        title={t('volunteers.newTeam')}
        onCancel={() => setCreating(false)}
        onSubmit={async (b) => {
          await act.mutateAsync({ method: 'POST', path: '/api/volunteer-teams', body: { ...b, leaderId: b.leaderId ?? null } });
          setCreating(false);
        }}
      >
        <Form.Item name="name" label={t('volunteers.teamName')} rules={[{ required: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="unitId" label={t('volunteers.unit')} rules={[{ required: true }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="leaderId" label={t('volunteers.leader')}>
          <VolunteerSelect />
        </Form.Item>
        <Form.Item name="description" label={t('volunteers.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </FormModal>
      <Drawer open={!!openId} onClose={() => setOpenId(null)} title={team.data?.name} size="large">
        {team.data ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{team.data.description}</Typography.Text>
            {write ? (
              <Space.Compact style={{ width: '100%' }}>
                <div style={{ flex: 1 }}>
                  <VolunteerSelect value={member} onChange={setMember} />
                </div>
                <Button
                  type="primary"
                  disabled={!member}
                  onClick={() =>
                    act.mutate(
                      { method: 'POST', path: `/api/volunteer-teams/${openId}/members`, body: { volunteerId: member } },
                      { onSuccess: () => setMember(null) },
                    )
                  }
                >
                  {t('volunteers.addMember')}
                </Button>
              </Space.Compact>
            ) : null}
            {act.error ? <Typography.Text type="danger">{errorText(act.error)}</Typography.Text> : null}
            <List
              dataSource={team.data.members}
              renderItem={(m) => (
                <List.Item
                  actions={
                    write && m.volunteerId !== team.data?.leaderId
                      ? [
                          <Popconfirm
                            key="rm"
                            title={t('volunteers.removeMember')}
                            onConfirm={() =>
                              act.mutate({ method: 'DELETE', path: `/api/volunteer-teams/${openId}/members/${m.volunteerId}` })
                            }
                          >
                            <Button size="small" type="link" danger>
                              {t('volunteers.removeMember')}
                            </Button>
                          </Popconfirm>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        {m.name}
                        {m.volunteerId === team.data?.leaderId ? (
                          <Typography.Text type="success">{t('volunteers.leader')}</Typography.Text>
                        ) : null}
                        <VolunteerStatusTag status={m.status} />
                      </Space>
                    }
                    description={`${m.phoneMasked ?? ''} · ${t('volunteers.hoursValue', { hours: m.hours })}`}
                  />
                </List.Item>
              )}
            />
          </Space>
        ) : null}
      </Drawer>
    </Card>
  );
}
