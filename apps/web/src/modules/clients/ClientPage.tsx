import { ArrowLeftOutlined, EditOutlined, EyeOutlined, FlagOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import {
  CHILD_IN_DIFFICULTY_SUBTYPES,
  DEFAULT_CLIENT_FLAGS,
  FIVE_SOCIETIES,
  HOUSEHOLD_RELATIONS,
  NEED_TYPES,
  VISIT_KINDS,
} from '@wushe/domain';
import { Button, Card, Descriptions, Empty, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { ErrorState, Loading, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { ClientCasesTab } from '../cases/ClientCasesTab';
import { ClientNeedsTab } from '../needs/ClientNeedsTab';
import { ClientReferralsTab } from '../referrals/ClientReferralsTab';
import { useCategories } from '../settings/queries';
import { AddCategoryModal, ClearFlagModal, EndCategoryModal, RevealModal, SetFlagModal, StatusModal } from './ClientDialogs';
import { ClientFormDrawer } from './ClientForm';
import { CategoryTags, DueCell, RiskTag, SexAge, StatusTag } from './ClientTags';
import { type TimelineEvent, useClient, useClientTimeline, useClientVisits } from './queries';
import type { CategoryEntry, ClientContact, ClientDetail, FlagEntry, RevealAnswer, RevealField } from './types';

/** A masked value with a 查看 button for users who may reveal it. */
function Sensitive({
  masked,
  revealed,
  onReveal,
  testId,
}: {
  masked: string | null;
  revealed: string | null | undefined;
  onReveal: (() => void) | null;
  testId: string;
}) {
  const { t } = useTranslation();
  if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      <Typography.Text
        code
        copyable={revealed ? { text: revealed } : false}
        data-testid={testId}
        data-revealed={revealed ? 'true' : 'false'}
      >
        {revealed ?? masked}
      </Typography.Text>
      {onReveal && !revealed ? (
        <Button size="small" type="link" icon={<EyeOutlined />} onClick={onReveal} data-testid={`${testId}-reveal`}>
          {t('clients.reveal')}
        </Button>
      ) : null}
    </Space>
  );
}

function VisitsTab({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const visits = useClientVisits(clientId);
  if (visits.isLoading) return <Loading rows={4} />;
  if (visits.isError) return <ErrorState error={visits.error} onRetry={() => void visits.refetch()} compact />;
  const items = visits.data?.pages.flatMap((p) => p.items) ?? [];
  const total = visits.data?.pages[0]?.total ?? 0;
  if (items.length === 0) return <Empty description={t('visits.none')} />;
  return (
    <div data-testid="visit-timeline">
      <Timeline
        items={items.map((v) => ({
          key: v.id,
          color: v.needsFound.length ? 'orange' : 'green',
          content: (
            <div data-testid="visit-item" data-visit-id={v.id}>
              <Space wrap size={[8, 4]}>
                <Typography.Text strong>{dayjs(v.visitedAt).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                <Tag>{label(VISIT_KINDS, v.kind)}</Tag>
                <Typography.Text type="secondary">{v.workers.map((w) => w.name).join(t('visits.listSep'))}</Typography.Text>
              </Space>
              {v.partners.length ? (
                <div>
                  <Typography.Text type="secondary">{t('visits.labelled', { label: t('visits.partners') })}</Typography.Text>
                  {v.partners.map((p) => label(FIVE_SOCIETIES, p)).join(t('visits.listSep'))}
                </div>
              ) : null}
              {v.needsFound.length ? (
                <div>
                  <Typography.Text type="secondary">{t('visits.labelled', { label: t('visits.needsFound') })}</Typography.Text>
                  {v.needsFound.map((n) => (
                    <Tag key={n} color="orange">
                      {label(NEED_TYPES, n)}
                    </Tag>
                  ))}
                </div>
              ) : null}
              {v.findings ? (
                <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>{v.findings}</Typography.Paragraph>
              ) : null}
              {v.followUp ? (
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
                  {t('visits.labelled', { label: t('visits.followUp') })}
                  {v.followUp}
                </Typography.Paragraph>
              ) : null}
            </div>
          ),
        }))}
      />
      <LoadMoreFooter pages={visits} shown={items.length} total={total} totalTestId="visit-count" moreTestId="visits-more" />
    </div>
  );
}

const TIMELINE_COLORS: Record<TimelineEvent['kind'], string> = {
  visit: 'green',
  need: 'orange',
  category_started: 'blue',
  category_ended: 'gray',
  flag_set: 'red',
  flag_cleared: 'gray',
  change: 'gray',
};

/** A category starts or ends on a calendar day in Asia/Shanghai (UTC+8), whatever the browser's zone. */
function shanghaiDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Everything that happened to the client, newest first, from the server's merged timeline. */
function HistoryTab({ clientId }: { clientId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const timeline = useClientTimeline(clientId);
  if (timeline.isLoading) return <Loading rows={4} />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} compact />;
  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.length === 0) return <Empty description={t('clients.historyNone')} />;
  const title = (e: TimelineEvent) => {
    if (e.kind === 'visit') return label(VISIT_KINDS, e.title);
    if (e.kind === 'need') return label(NEED_TYPES, e.title);
    if (e.kind === 'category_started' || e.kind === 'category_ended') return categories.label(e.title);
    if (e.kind === 'flag_set' || e.kind === 'flag_cleared') return label(DEFAULT_CLIENT_FLAGS, e.title);
    return t(`clients.historyAction.${e.title.replace('client.', '')}`, { defaultValue: e.title });
  };
  return (
    <div data-testid="client-history">
      <Timeline
        items={items.map((e) => ({
          key: `${e.kind}:${e.ref}`,
          color: TIMELINE_COLORS[e.kind],
          content: (
            <div data-testid="history-item" data-kind={e.kind}>
              <Space wrap size={[8, 4]}>
                <Typography.Text strong>
                  {e.kind.startsWith('category') ? shanghaiDay(e.at) : dayjs(e.at).format('YYYY-MM-DD HH:mm')}
                </Typography.Text>
                <Tag>{t(`clients.historyKind.${e.kind}`)}</Tag>
                <Typography.Text>{title(e)}</Typography.Text>
              </Space>
              {e.detail && e.kind !== 'need' ? (
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
                  {e.detail}
                </Typography.Paragraph>
              ) : null}
            </div>
          ),
        }))}
      />
      {timeline.hasNextPage ? (
        <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} data-testid="history-more">
          {t('common.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}

function CategoriesTab({ client, canWrite }: { client: ClientDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<CategoryEntry | null>(null);
  return (
    <>
      {canWrite ? (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }} data-testid="category-add-open">
          {t('clients.addCategory')}
        </Button>
      ) : null}
      <Table<CategoryEntry>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={client.categoryHistory}
        locale={{ emptyText: <Empty description={t('clients.noCategories')} /> }}
        data-testid="category-history"
        columns={[
          {
            title: t('clients.category'),
            key: 'category',
            render: (_: unknown, c) => (
              <Space size={4}>
                <Tag color={c.active ? 'blue' : 'default'}>
                  {categories.label(c.category)}
                  {categories.isRetired(c.category) ? t('categories.retiredSuffix') : ''}
                </Tag>
                {c.subtype ? <Typography.Text type="secondary">{label(CHILD_IN_DIFFICULTY_SUBTYPES, c.subtype)}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t('clients.startDate'), dataIndex: 'startDate' },
          { title: t('clients.endDate'), dataIndex: 'endDate', render: (v: string | null) => v ?? '—' },
          { title: t('clients.source'), dataIndex: 'source', render: (v: string | null) => v ?? '—' },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, c: CategoryEntry) =>
                    c.active ? (
                      <Button size="small" onClick={() => setEnding(c)}>
                        {t('clients.endCategory')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <AddCategoryModal client={client} open={adding} onClose={() => setAdding(false)} />
      <EndCategoryModal client={client} entry={ending} onClose={() => setEnding(null)} />
    </>
  );
}

function FlagsTab({ client }: { client: ClientDetail }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Table<FlagEntry>
      rowKey="id"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={client.flagHistory}
      locale={{ emptyText: <Empty description={t('clients.noFlags')} /> }}
      columns={[
        {
          title: t('clients.flag'),
          key: 'flag',
          render: (_: unknown, f) => <Tag color={f.clearedAt ? 'default' : 'red'}>{label(DEFAULT_CLIENT_FLAGS, f.flag)}</Tag>,
        },
        { title: t('clients.reason'), dataIndex: 'reason' },
        {
          title: t('clients.flagSetAt'),
          key: 'setAt',
          render: (_: unknown, f) => `${dayjs(f.setAt).format('YYYY-MM-DD HH:mm')} ${f.setByName ?? ''}`,
        },
        {
          title: t('clients.flagClearedAt'),
          key: 'cleared',
          render: (_: unknown, f) => (f.clearedAt ? `${dayjs(f.clearedAt).format('YYYY-MM-DD HH:mm')} · ${f.clearReason ?? ''}` : '—'),
        },
      ]}
    />
  );
}

function PeopleTab({
  client,
  revealedContacts,
  onReveal,
}: {
  client: ClientDetail;
  revealedContacts: ClientContact[] | null;
  onReveal: (() => void) | null;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const contacts = revealedContacts ?? client.contacts;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <div>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="baseline">
          <Typography.Title level={5}>{t('clients.household')}</Typography.Title>
          {client.householdId ? (
            <Link to={`/households/${client.householdId}`} data-testid="client-household-link">
              {t('clients.openHousehold')}
            </Link>
          ) : null}
        </Space>
        {client.household.length ? (
          <Space wrap>
            {client.household.map((m) => (
              <Link key={m.id} to={`/clients/${m.id}`}>
                <Tag>
                  {m.name}
                  {m.relation ? `（${label(HOUSEHOLD_RELATIONS, m.relation)}）` : ''}
                </Tag>
              </Link>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('clients.noHousehold')}</Typography.Text>
        )}
      </div>
      <div>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('clients.contacts')}
          </Typography.Title>
          {onReveal && client.contacts.length && !revealedContacts ? (
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={onReveal} data-testid="contacts-reveal">
              {t('clients.reveal')}
            </Button>
          ) : null}
        </Space>
        <Table<ClientContact>
          rowKey={(c, i) => `${c.name}-${i}`}
          size="small"
          pagination={false}
          dataSource={contacts}
          locale={{ emptyText: <Empty description={t('clients.noContacts')} /> }}
          columns={[
            { title: t('clients.contactName'), dataIndex: 'name' },
            { title: t('clients.relation'), dataIndex: 'relation', render: (r: string) => label(HOUSEHOLD_RELATIONS, r) },
            { title: t('clients.phone'), dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
          ]}
        />
      </div>
    </Space>
  );
}

export default function ClientPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { can } = useAuth();
  const client = useClient(id);
  const [revealing, setRevealing] = useState<RevealField | null>(null);
  const [revealed, setRevealed] = useState<Partial<Record<RevealField, RevealAnswer['value']>>>({});
  const [editing, setEditing] = useState(false);
  const [flagging, setFlagging] = useState(false);
  const [clearing, setClearing] = useState<FlagEntry | null>(null);
  const [statusOpen, setStatusOpen] = useState(false);

  if (client.isLoading)
    return (
      <Card>
        <Loading rows={8} />
      </Card>
    );
  if (client.isError || !client.data) return <ErrorState error={client.error} onRetry={() => void client.refetch()} />;
  const c = client.data;
  const canReveal = can('clients.reveal');
  const canWrite = can('clients.write');
  const canVisit = can('visits.write') && c.status === 'active';
  const activeFlags = c.flagHistory.filter((f) => !f.clearedAt);
  const reveal = (field: RevealField) => (canReveal ? () => setRevealing(field) : null);

  return (
    <div data-testid="client-page" data-client-id={c.id}>
      <Link to="/clients" style={{ display: 'inline-block', marginBottom: 12 }}>
        <ArrowLeftOutlined /> {t('clients.backToLedger')}
      </Link>
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="client-name-title">
              {c.name}
            </Typography.Title>
            <StatusTag status={c.status} />
            <RiskTag level={c.riskLevel} />
            {activeFlags.map((f) => (
              <Tag
                key={f.id}
                color="red"
                closable={canWrite}
                onClose={(e) => {
                  e.preventDefault();
                  setClearing(f);
                }}
                data-testid="flag-tag"
              >
                {label(DEFAULT_CLIENT_FLAGS, f.flag)}
              </Tag>
            ))}
          </Space>
        }
        extra={
          mobile ? null : (
            <Actions
              canVisit={canVisit}
              canWrite={canWrite}
              onVisit={() => navigate(`/visits/new?clientId=${c.id}`)}
              onEdit={() => setEditing(true)}
              onFlag={() => setFlagging(true)}
              onStatus={() => setStatusOpen(true)}
            />
          )
        }
        style={{ marginBottom: 16 }}
      >
        {mobile ? (
          <div style={{ marginBottom: 12 }}>
            <Actions
              canVisit={canVisit}
              canWrite={canWrite}
              onVisit={() => navigate(`/visits/new?clientId=${c.id}`)}
              onEdit={() => setEditing(true)}
              onFlag={() => setFlagging(true)}
              onStatus={() => setStatusOpen(true)}
            />
          </div>
        ) : null}
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 1, md: 2, lg: 3 }}
          items={[
            {
              key: 'id',
              label: t('clients.idNumber'),
              children: (
                <Sensitive
                  masked={c.idNumber}
                  revealed={revealed.idNumber as string | undefined}
                  onReveal={reveal('idNumber')}
                  testId="client-id-number"
                />
              ),
            },
            {
              key: 'phone',
              label: t('clients.phone'),
              children: (
                <Sensitive
                  masked={c.phone}
                  revealed={revealed.phone as string | undefined}
                  onReveal={reveal('phone')}
                  testId="client-phone-number"
                />
              ),
            },
            { key: 'sexAge', label: t('clients.sexAge'), children: <SexAge sex={c.sex} birthDate={c.birthDate} /> },
            { key: 'categories', label: t('clients.categories'), children: <CategoryTags codes={c.categories} /> },
            { key: 'address', label: t('clients.address'), children: c.address ?? '—' },
            { key: 'community', label: t('clients.community'), children: c.regionName ?? c.regionCode },
            { key: 'unit', label: t('clients.unit'), children: c.unitName ?? '—' },
            { key: 'responsible', label: t('clients.responsible'), children: c.responsibleName ?? '—' },
            {
              key: 'lastVisit',
              label: t('clients.lastVisitAt'),
              children: c.lastVisitAt ? dayjs(c.lastVisitAt).format('YYYY-MM-DD HH:mm') : '—',
            },
            {
              key: 'due',
              label: t('clients.nextVisitDue'),
              children: (
                <span data-testid="client-next-due">
                  <DueCell due={c.nextVisitDue} overdue={c.overdue} />
                </span>
              ),
            },
            ...(c.tags.length
              ? [
                  {
                    key: 'tags',
                    label: t('clients.tags'),
                    children: (
                      <Space size={[0, 4]} wrap>
                        {c.tags.map((tag) => (
                          <Tag key={tag}>{tag}</Tag>
                        ))}
                      </Space>
                    ),
                  },
                ]
              : []),
            ...(c.status !== 'active'
              ? [{ key: 'statusInfo', label: t('clients.statusDate'), children: `${c.statusDate ?? '—'} · ${c.statusReason ?? ''}` }]
              : []),
          ]}
        />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          items={[
            {
              key: 'visits',
              label: <span data-testid="tab-visits">{t('clients.tabVisits')}</span>,
              children: <VisitsTab clientId={c.id} />,
            },
            {
              key: 'history',
              label: <span data-testid="tab-history">{t('clients.tabHistory')}</span>,
              children: <HistoryTab clientId={c.id} />,
            },
            {
              key: 'needs',
              label: <span data-testid="tab-needs">{t('clients.tabNeeds')}</span>,
              children: <ClientNeedsTab clientId={c.id} canWrite={canWrite} />,
            },
            ...(can('cases.read')
              ? [
                  {
                    key: 'cases',
                    label: <span data-testid="tab-cases">{t('cases.nav')}</span>,
                    children: <ClientCasesTab clientId={c.id} />,
                  },
                ]
              : []),
            ...(can('referrals.read')
              ? [
                  {
                    key: 'referrals',
                    label: <span data-testid="tab-referrals">{t('referrals.tab')}</span>,
                    children: <ClientReferralsTab client={c} />,
                  },
                ]
              : []),
            {
              key: 'categories',
              label: <span data-testid="tab-categories">{t('clients.tabCategories')}</span>,
              children: <CategoriesTab client={c} canWrite={canWrite} />,
            },
            { key: 'flags', label: t('clients.tabFlags'), children: <FlagsTab client={c} /> },
            {
              key: 'people',
              label: <span data-testid="tab-people">{t('clients.tabPeople')}</span>,
              children: (
                <PeopleTab
                  client={c}
                  revealedContacts={Array.isArray(revealed.contacts) ? revealed.contacts : null}
                  onReveal={reveal('contacts')}
                />
              ),
            },
          ]}
        />
      </Card>
      <RevealModal
        client={c}
        field={revealing}
        onClose={() => setRevealing(null)}
        onRevealed={(a) => setRevealed((r) => ({ ...r, [a.field]: a.value }))}
      />
      <ClientFormDrawer
        target={editing ? { mode: 'edit', client: c } : null}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
      <SetFlagModal client={c} open={flagging} onClose={() => setFlagging(false)} />
      <ClearFlagModal client={c} flag={clearing} onClose={() => setClearing(null)} />
      <StatusModal client={c} open={statusOpen} onClose={() => setStatusOpen(false)} />
    </div>
  );
}

function Actions(p: {
  canVisit: boolean;
  canWrite: boolean;
  onVisit: () => void;
  onEdit: () => void;
  onFlag: () => void;
  onStatus: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      {p.canVisit ? (
        <Button type="primary" icon={<PlusOutlined />} onClick={p.onVisit} data-testid="client-visit">
          {t('visits.record')}
        </Button>
      ) : null}
      {p.canWrite ? (
        <>
          <Button icon={<EditOutlined />} onClick={p.onEdit} data-testid="client-edit">
            {t('common.edit')}
          </Button>
          <Button icon={<FlagOutlined />} onClick={p.onFlag} data-testid="client-flag">
            {t('clients.setFlag')}
          </Button>
          <Button icon={<SwapOutlined />} onClick={p.onStatus} data-testid="client-status">
            {t('clients.changeStatus')}
          </Button>
        </>
      ) : null}
    </Space>
  );
}
