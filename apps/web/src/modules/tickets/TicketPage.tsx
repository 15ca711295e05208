import { ArrowLeftOutlined, EyeOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CALLBACK_RESULT_LABELS, TICKET_EVENT_LABELS, TICKET_STATUS_LABELS, type TicketStatus } from '@wushe/domain';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Radio, Rate, Row, Select, Space, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { applyFieldErrors, ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { UnitSelect } from '../users/UnitSelect';
import { useLiveTickets, useTicket } from './queries';
import { CategoryTag, ChannelText, DeadlineTags, formatTime, StatusTag, UrgencyTag } from './TicketParts';
import type { TicketDetail } from './types';

type Action = 'accept' | 'assign' | 'progress' | 'solve' | 'close' | 'reopen' | 'cancel' | 'reroute';
const ACTION_ORDER: Action[] = ['accept', 'assign', 'progress', 'solve', 'close', 'reopen', 'reroute', 'cancel'];

interface Worker {
  id: string;
  displayName: string;
  role: string;
  status: string;
}

function useWorkers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'ticket-workers'],
    queryFn: () => api<Page<Worker>>('/api/users', { query: { limit: 200 } }),
    enabled,
    staleTime: 60_000,
  });
}

interface CallerMatch {
  id: string;
  name: string;
  unitName: string | null;
  phone: string | null;
  idNumber: string | null;
  matchedBy: 'phone' | 'id_number' | 'name';
}

/** The caller as a client: matches of the ledger (phone, ID, name), link one or register the caller. */
function CallerCard({ ticket, onChanged }: { ticket: TicketDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [phone, setPhone] = useState<string | null>(null);
  const matches = useQuery({
    queryKey: ['tickets', 'matches', ticket.id],
    queryFn: () => api<{ items: CallerMatch[] }>(`/api/tickets/${ticket.id}/caller-matches`),
    enabled: !ticket.clientId && ticket.actions.includes('link_client'),
  });
  const link = async (body: object) => {
    setBusy(true);
    try {
      await api(`/api/tickets/${ticket.id}/client`, { method: 'POST', body: { version: ticket.version, ...body } });
      onChanged();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const reveal = async () => {
    try {
      setPhone((await api<{ phone: string }>(`/api/tickets/${ticket.id}/reveal-phone`, { method: 'POST' })).phone);
    } catch (err) {
      message.error(errorText(err));
    }
  };
  return (
    <Card size="small" title={t('tickets.caller')} data-testid="ticket-caller">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('tickets.callerName')}>{ticket.callerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('tickets.callerPhone')}>
          <Space>
            <span data-testid="ticket-phone">{phone ?? ticket.callerPhone ?? '—'}</span>
            {!phone && ticket.actions.includes('reveal_phone') ? (
              <Button size="small" icon={<EyeOutlined />} onClick={reveal} data-testid="ticket-reveal-phone">
                {t('tickets.revealPhone')}
              </Button>
            ) : null}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('tickets.client')}>
          {ticket.clientId ? (
            can('clients.read') ? (
              <Link to={`/clients/${ticket.clientId}`}>{ticket.clientName}</Link>
            ) : (
              ticket.clientName
            )
          ) : (
            t('tickets.noClient')
          )}
        </Descriptions.Item>
      </Descriptions>
      {!ticket.clientId && ticket.actions.includes('link_client') ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          {(matches.data?.items ?? []).map((m) => (
            <Space key={m.id} style={{ justifyContent: 'space-between', width: '100%' }} wrap>
              <span>
                {m.name} · {m.unitName} · {m.phone ?? m.idNumber ?? ''}{' '}
                <Typography.Text type="secondary">({t(`tickets.matchedBy.${m.matchedBy}`)})</Typography.Text>
              </span>
              <Button size="small" loading={busy} onClick={() => link({ clientId: m.id })} data-testid="ticket-link-client">
                {t('tickets.linkClient')}
              </Button>
            </Space>
          ))}
          {can('clients.write') && ticket.callerName ? (
            <Button size="small" loading={busy} onClick={() => link({ create: true })} data-testid="ticket-create-client">
              {t('tickets.createClient')}
            </Button>
          ) : null}
        </Space>
      ) : null}
    </Card>
  );
}

function ActionModal({ ticket, action, onClose }: { ticket: TicketDetail; action: Action | null; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const workers = useWorkers(action === 'assign');
  const callback = Form.useWatch('callbackResult', form);
  const submit = async (values: Record<string, unknown>) => {
    if (!action) return;
    setSaving(true);
    try {
      await api(`/api/tickets/${ticket.id}/${action}`, { method: 'POST', body: { version: ticket.version, ...values } });
      form.resetFields();
      onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err, t) || !(err instanceof ApiError)) message.error(errorText(err));
      if (err instanceof ApiError && err.status === 409) onClose(true);
    } finally {
      setSaving(false);
    }
  };
  const writers = (workers.data?.items ?? []).filter(
    (u) => u.status === 'active' && ['station_head', 'station_worker', 'community_worker'].includes(u.role),
  );
  return (
    <Modal
      open={action !== null}
      title={action ? t(`tickets.action.${action}`) : ''}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={action ? t(`tickets.action.${action}`) : ''}
      okButtonProps={{ loading: saving, ...({ 'data-testid': 'ticket-action-ok' } as Record<string, string>) }}
      destroyOnHidden
      data-testid="ticket-action-modal"
    >
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ callbackResult: 'reached' }}>
        {action === 'assign' ? (
          <Form.Item name="userId" label={t('tickets.assignee')} rules={[{ required: true, message: t('tickets.assigneeRequired') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={workers.isLoading}
              options={writers.map((u) => ({ value: u.id, label: u.displayName }))}
              data-testid="ticket-assignee"
            />
          </Form.Item>
        ) : null}
        {action === 'solve' ? (
          <Form.Item
            name="solution"
            label={t('tickets.solution')}
            rules={[{ required: true, min: 2, message: t('tickets.solutionRequired') }]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 3 }} data-testid="ticket-solution" />
          </Form.Item>
        ) : null}
        {action === 'close' ? (
          <>
            <Form.Item name="callbackResult" label={t('tickets.callbackResult')}>
              <Radio.Group optionType="button" data-testid="ticket-callback">
                {CALLBACK_RESULT_LABELS.map((c) => (
                  <Radio.Button key={c.value} value={c.value}>
                    <span data-testid={`ticket-callback-${c.value}`}>{label(CALLBACK_RESULT_LABELS, c.value)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            {callback === 'reached' ? (
              <Form.Item
                name="satisfaction"
                label={t('tickets.satisfaction')}
                rules={[{ required: true, message: t('tickets.satisfactionRequired') }]}
              >
                <Rate data-testid="ticket-satisfaction" />
              </Form.Item>
            ) : null}
            <Form.Item name="feedback" label={t('tickets.feedback')}>
              <Input.TextArea autoSize={{ minRows: 2 }} data-testid="ticket-feedback" />
            </Form.Item>
          </>
        ) : null}
        {action === 'reroute' ? (
          <>
            <Form.Item name="unitId" label={t('tickets.rerouteTo')} rules={[{ required: true, message: t('common.required') }]}>
              <UnitSelect />
            </Form.Item>
            <Form.Item
              name="note"
              label={t('tickets.rerouteWhy')}
              rules={[{ required: true, min: 2, message: t('tickets.reasonRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2 }} data-testid="ticket-reroute-note" />
            </Form.Item>
          </>
        ) : null}
        {action === 'cancel' ? (
          <Form.Item
            name="reason"
            label={t('tickets.cancelReason')}
            rules={[{ required: true, min: 2, message: t('tickets.reasonRequired') }]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 2 }} data-testid="ticket-cancel-reason" />
          </Form.Item>
        ) : null}
        {action === 'reopen' ? (
          <Form.Item
            name="reason"
            label={t('tickets.reopenReason')}
            extra={t('tickets.reopenHelp')}
            rules={[{ required: true, min: 2, message: t('tickets.reasonRequired') }]}
          >
            <Input.TextArea autoFocus autoSize={{ minRows: 2 }} data-testid="ticket-reopen-reason" />
          </Form.Item>
        ) : null}
        {action === 'progress' ? (
          <Form.Item name="note" label={t('tickets.progressNote')} rules={[{ required: true, message: t('tickets.noteRequired') }]}>
            <Input.TextArea autoFocus autoSize={{ minRows: 3 }} data-testid="ticket-note" />
          </Form.Item>
        ) : null}
        {action === 'accept' || action === 'assign' ? (
          <Form.Item name="note" label={t('tickets.noteOptional')}>
            <Input.TextArea autoSize={{ minRows: 2 }} data-testid="ticket-note" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** One ticket: what the caller needs, the deadlines, the caller, the timeline and the next steps. */
export default function TicketPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const queryClient = useQueryClient();
  const ticket = useTicket(id);
  useLiveTickets();
  const [action, setAction] = useState<Action | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['tickets'] });

  if (ticket.isLoading) return <Loading rows={8} />;
  if (ticket.isError || !ticket.data) return <ErrorState error={ticket.error} onRetry={() => void ticket.refetch()} />;
  const tk = ticket.data;
  const actions = ACTION_ORDER.filter((a) => tk.actions.includes(a));
  const primary: Partial<Record<TicketStatus, Action>> = {
    new: 'accept',
    accepted: 'assign',
    assigned: 'progress',
    in_progress: 'solve',
    solved: 'close',
  };

  return (
    <div data-testid="ticket-page">
      <Space style={{ marginBottom: 12 }}>
        <Link to="/tickets">
          <ArrowLeftOutlined /> {t('tickets.title')}
        </Link>
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap align="center">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="ticket-code">
              {tk.code}
            </Typography.Title>
            <StatusTag status={tk.status} />
            <UrgencyTag urgency={tk.urgency} />
            <CategoryTag ticket={tk} />
            <DeadlineTags ticket={tk} />
          </Space>
          <Typography.Paragraph style={{ fontSize: 16, marginBottom: 0 }} data-testid="ticket-summary-text">
            {tk.summary}
          </Typography.Paragraph>
          {actions.length ? (
            <Space wrap data-testid="ticket-actions">
              {actions.map((a) => (
                <Button
                  key={a}
                  type={primary[tk.status] === a ? 'primary' : 'default'}
                  danger={a === 'cancel'}
                  onClick={() => setAction(a)}
                  data-testid={`ticket-action-${a}`}
                >
                  {t(`tickets.action.${a}`)}
                </Button>
              ))}
            </Space>
          ) : null}
        </Space>
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('tickets.details')}>
            <Descriptions column={mobile ? 1 : 2} size="small" data-testid="ticket-details">
              <Descriptions.Item label={t('tickets.unit')}>
                <span data-testid="ticket-unit">{tk.unitName}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('tickets.channel')}>
                <ChannelText ticket={tk} />
              </Descriptions.Item>
              <Descriptions.Item label={t('tickets.area')}>{tk.regionName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.address')}>{tk.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.receivedAt')}>{formatTime(tk.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.assignee')}>{tk.assignedUserName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.respondDue')}>{formatTime(tk.respondDueAt)}</Descriptions.Item>
              <Descriptions.Item label={t('tickets.solveDue')}>{formatTime(tk.solveDueAt)}</Descriptions.Item>
              {tk.solution ? (
                <Descriptions.Item label={t('tickets.solution')} span={2}>
                  {tk.solution}
                </Descriptions.Item>
              ) : null}
              {tk.callbackResult ? (
                <Descriptions.Item label={t('tickets.callbackResult')} span={2}>
                  <Space>
                    {label(CALLBACK_RESULT_LABELS, tk.callbackResult)}
                    {tk.satisfaction ? <Rate disabled value={tk.satisfaction} data-testid="ticket-rated" /> : null}
                    {tk.feedback ? <Typography.Text type="secondary">{tk.feedback}</Typography.Text> : null}
                  </Space>
                </Descriptions.Item>
              ) : null}
              {tk.cancelReason ? (
                <Descriptions.Item label={t('tickets.cancelReason')} span={2}>
                  {tk.cancelReason}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Card size="small" title={t('tickets.timeline')} style={{ marginTop: 16 }}>
            <Timeline
              data-testid="ticket-timeline"
              items={tk.events.map((e) => ({
                color: e.kind === 'escalated' ? 'red' : e.kind === 'solved' || e.kind === 'closed' ? 'green' : 'blue',
                children: (
                  <div data-testid="ticket-event">
                    <Typography.Text strong>{label(TICKET_EVENT_LABELS, e.kind)}</Typography.Text>
                    {e.toStatus && e.fromStatus !== e.toStatus ? (
                      <Typography.Text type="secondary"> → {label(TICKET_STATUS_LABELS, e.toStatus)}</Typography.Text>
                    ) : null}
                    <div style={{ fontSize: 12, color: '#78716c' }}>
                      {formatTime(e.createdAt)} {e.userName ?? t('tickets.system')}
                    </div>
                    {e.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div> : null}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <CallerCard ticket={tk} onChanged={refresh} />
        </Col>
      </Row>
      <ActionModal
        ticket={tk}
        action={action}
        onClose={(changed) => {
          setAction(null);
          if (changed) refresh();
        }}
      />
    </div>
  );
}
