import { ArrowLeftOutlined, CrownOutlined, DeleteOutlined, EditOutlined, HomeOutlined, UserAddOutlined } from '@ant-design/icons';
import { HOUSEHOLD_RELATIONS } from '@wushe/domain';
import { App, Button, Card, Checkbox, Empty, Form, Input, List, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { StatusTag } from '../clients/ClientTags';
import { ClientSearchSelect } from './ClientSearchSelect';
import { useHousehold, useHouseholdMutations } from './queries';
import type { HouseholdMember } from './types';

const MEMBER_RELATIONS = HOUSEHOLD_RELATIONS.filter((r) => r.value !== 'head');

/** One household (户): its address and members with their relation to the head; members added, removed, re-related. */
export default function HouseholdPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canWrite = can('clients.write');
  const household = useHousehold(id);
  const m = useHouseholdMutations();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [promoting, setPromoting] = useState<HouseholdMember | null>(null);

  if (household.isLoading) return <Loading rows={6} />;
  if (household.isError || !household.data) return <ErrorState error={household.error} onRetry={() => void household.refetch()} />;
  const h = household.data;
  const head = h.members.find((x) => x.relation === 'head');
  const relationOptions = (list: typeof HOUSEHOLD_RELATIONS) =>
    list.map((r) => ({ value: r.value, label: label(HOUSEHOLD_RELATIONS, r.value) }));

  const run = async (p: Promise<unknown>, ok: string) => {
    try {
      await p;
      message.success(ok);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const changeRelation = (member: HouseholdMember, relation: string) =>
    run(m.addMember.mutateAsync({ id: h.id, clientId: member.id, relation }), t('households.relationChanged'));
  const remove = (member: HouseholdMember) => run(m.removeMember.mutateAsync({ id: h.id, clientId: member.id }), t('households.removed'));

  const relationCell = (x: HouseholdMember) =>
    x.relation === 'head' ? (
      <Tag color="gold" icon={<CrownOutlined />} data-testid="member-relation" data-relation="head">
        {label(HOUSEHOLD_RELATIONS, 'head')}
      </Tag>
    ) : canWrite ? (
      <Select
        size="small"
        value={x.relation ?? undefined}
        style={{ width: 120 }}
        options={relationOptions(MEMBER_RELATIONS)}
        onChange={(v) => void changeRelation(x, v)}
        data-testid="member-relation"
        data-relation={x.relation ?? ''}
      />
    ) : (
      <span data-testid="member-relation" data-relation={x.relation ?? ''}>
        {label(HOUSEHOLD_RELATIONS, x.relation)}
      </span>
    );

  const actions = (x: HouseholdMember) =>
    canWrite ? (
      <Space size={4} wrap>
        {x.relation !== 'head' ? (
          <Button size="small" icon={<CrownOutlined />} onClick={() => setPromoting(x)} data-testid="member-make-head">
            {t('households.makeHead')}
          </Button>
        ) : null}
        <Popconfirm
          title={t('households.removeConfirm', { name: x.name })}
          okText={t('common.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, ...{ 'data-testid': 'member-remove-confirm' } }}
          onConfirm={() => remove(x)}
        >
          <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('households.remove')} data-testid="member-remove">
            {mobile ? null : t('households.remove')}
          </Button>
        </Popconfirm>
      </Space>
    ) : null;

  return (
    <div data-testid="household-page" data-household-id={h.id}>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/households">
          <ArrowLeftOutlined /> {t('households.back')}
        </Link>
      </Space>
      <Card
        styles={{ body: { padding: mobile ? 12 : undefined } }}
        title={
          <Space wrap size={[8, 0]} style={{ whiteSpace: 'normal' }}>
            <HomeOutlined />
            <span data-testid="household-address-title">{h.address || t('households.detailTitle')}</span>
          </Space>
        }
        extra={
          canWrite ? (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="household-edit-address">
              {mobile ? null : t('households.editAddress')}
            </Button>
          ) : null
        }
      >
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
          <Typography.Text type="secondary">
            {t('households.head')}：{head ? <Link to={`/clients/${head.id}`}>{head.name}</Link> : t('households.noHead')} ·{' '}
            <span data-testid="household-member-total">{t('households.memberCount', { count: h.members.length })}</span>
          </Typography.Text>
          {canWrite ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="member-add">
              {t('households.addMember')}
            </Button>
          ) : null}
        </Space>
        {mobile ? (
          <List<HouseholdMember>
            dataSource={h.members}
            locale={{ emptyText: <Empty description={t('households.noMembers')} /> }}
            data-testid="household-members"
            renderItem={(x) => (
              <List.Item data-testid="member-row" data-client-id={x.id} data-name={x.name} style={{ display: 'block' }}>
                <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
                  <Space size={6}>
                    <Link to={`/clients/${x.id}`} style={{ fontWeight: 600, fontSize: 16 }}>
                      {x.name}
                    </Link>
                    {x.status !== 'active' ? <StatusTag status={x.status} /> : null}
                  </Space>
                  {relationCell(x)}
                </Space>
                <div>
                  <Typography.Text type="secondary">{[x.idNumber, x.birthDate].filter(Boolean).join(' · ') || '—'}</Typography.Text>
                </div>
                {canWrite ? <div style={{ marginTop: 6 }}>{actions(x)}</div> : null}
              </List.Item>
            )}
          />
        ) : (
          <Table<HouseholdMember>
            rowKey="id"
            size="middle"
            pagination={false}
            dataSource={h.members}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('households.noMembers')} /> }}
            onRow={(x) =>
              ({ 'data-testid': 'member-row', 'data-client-id': x.id, 'data-name': x.name }) as React.HTMLAttributes<HTMLElement>
            }
            data-testid="household-members"
            columns={[
              { title: t('households.name'), key: 'name', render: (_: unknown, x) => <Link to={`/clients/${x.id}`}>{x.name}</Link> },
              { title: t('households.relation'), key: 'relation', render: (_: unknown, x) => relationCell(x) },
              {
                title: t('households.idNumber'),
                dataIndex: 'idNumber',
                render: (v: string | null) => <Typography.Text code>{v ?? '—'}</Typography.Text>,
              },
              { title: t('households.birthDate'), dataIndex: 'birthDate', render: (v: string | null) => v ?? '—' },
              { title: t('households.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
              ...(canWrite ? [{ title: t('common.actions'), key: 'actions', render: (_: unknown, x: HouseholdMember) => actions(x) }] : []),
            ]}
          />
        )}
      </Card>

      <FormModal<{ clientId: string; relation: string; move?: boolean }>
        open={adding}
        title={t('households.addMemberTitle')}
        initialValues={{ move: false }}
        onCancel={() => setAdding(false)}
        data-testid="member-add-form"
        onSubmit={async (v) => {
          try {
            await m.addMember.mutateAsync({ id: h.id, clientId: v.clientId, relation: v.relation, move: !!v.move });
          } catch (e) {
            // "already in another household": say so on the client field; the checkbox below moves them
            if (e instanceof ApiError && e.details.some((d) => d.code === 'in_other_household'))
              throw new ApiError(e.status, {
                code: e.code,
                message: e.message,
                details: [{ path: 'clientId', code: 'in_other_household' }],
              });
            throw e;
          }
          setAdding(false);
          message.success(t('households.memberAdded'));
        }}
      >
        <Form.Item name="clientId" label={t('households.client')} rules={[{ required: true, message: t('households.clientRequired') }]}>
          <ClientSearchSelect exclude={h.members.map((x) => x.id)} data-testid="member-client-select" />
        </Form.Item>
        <Form.Item name="relation" label={t('households.relation')} rules={[{ required: true, message: t('households.relationRequired') }]}>
          <Select
            options={relationOptions(head ? MEMBER_RELATIONS : HOUSEHOLD_RELATIONS)}
            data-testid="member-relation-select"
            optionRender={(o) => <span data-testid={`relation-option-${o.value}`}>{o.label}</span>}
          />
        </Form.Item>
        <Form.Item name="move" valuePropName="checked">
          <Checkbox data-testid="member-move">{t('households.move')}</Checkbox>
        </Form.Item>
      </FormModal>

      <FormModal<{ address?: string }>
        open={editing}
        title={t('households.editAddress')}
        initialValues={{ address: h.address ?? '' }}
        onCancel={() => setEditing(false)}
        data-testid="household-address-form"
        onSubmit={async (v) => {
          await m.update.mutateAsync({ id: h.id, version: h.version, address: v.address?.trim() || null });
          setEditing(false);
          message.success(t('households.addressSaved'));
        }}
      >
        <Form.Item name="address" label={t('households.address')}>
          <Input maxLength={200} autoFocus data-testid="household-address-input" />
        </Form.Item>
      </FormModal>

      <FormModal<{ formerHeadRelation: string }>
        open={!!promoting}
        title={promoting ? t('households.makeHeadTitle', { name: promoting.name }) : ''}
        initialValues={{ formerHeadRelation: 'other' }}
        onCancel={() => setPromoting(null)}
        data-testid="household-head-form"
        onSubmit={async (v) => {
          if (!promoting) return;
          await m.changeHead.mutateAsync({ id: h.id, clientId: promoting.id, formerHeadRelation: v.formerHeadRelation });
          setPromoting(null);
          message.success(t('households.headChanged'));
        }}
      >
        {head ? (
          <Form.Item name="formerHeadRelation" label={t('households.formerHeadRelation', { name: head.name })} rules={[{ required: true }]}>
            <Select options={relationOptions(MEMBER_RELATIONS)} data-testid="former-head-relation" />
          </Form.Item>
        ) : null}
      </FormModal>
    </div>
  );
}
