import { ArrowLeftOutlined, PlusOutlined, SendOutlined, SwapOutlined } from '@ant-design/icons';
import {
  CASE_ACTION_LABELS,
  CASE_RISK_LABELS,
  CASE_SOURCE_LABELS,
  CASE_STAGE_LABELS,
  type CaseAction,
  type CaseStage,
  FIVE_SOCIETIES,
  GOAL_RESULT_LABELS,
  SERVICE_KIND_LABELS,
} from '@wushe/domain';
import { App, Button, Card, Descriptions, Empty, Input, List, Popconfirm, Space, Steps, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { RESYNC, useLiveEvents } from '../../app/events';
import { ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { AssessmentModal, EvaluationModal, PlanModal, ReasonModal, ServiceModal, TransferModal } from './CaseDialogs';
import { useCase, useCaseMutation } from './queries';
import type { CaseDetail } from './types';

const STEP_OF: Record<CaseStage, number> = { intake: 0, assessment: 1, plan: 2, intervention: 3, evaluation: 4, closure: 5, closed: 5 };
const SUPERVISE: CaseAction[] = ['approve_plan', 'return_plan', 'approve_closure', 'return_closure'];
/** Actions that need only a reason or comment; the others open their stage's form. */
const REASON_ACTIONS: CaseAction[] = ['request_closure', 'reopen', ...SUPERVISE];

export function StageTag({ k }: { k: Pick<CaseDetail, 'stage' | 'overdue' | 'planStatus' | 'closureStatus'> }) {
  const { t } = useTranslation();
  const label = useLabel();
  const color = k.stage === 'closed' ? 'default' : k.stage === 'closure' ? 'purple' : 'blue';
  return (
    <Space size={4} wrap>
      <Tag color={color} data-testid="case-stage-tag" data-stage={k.stage}>
        {label(CASE_STAGE_LABELS, k.stage)}
      </Tag>
      {k.stage === 'plan' && k.planStatus !== 'none' ? (
        <Tag color={k.planStatus === 'approved' ? 'green' : k.planStatus === 'returned' ? 'orange' : 'gold'} data-testid="case-plan-status">
          {t('cases.planStatus')}: {t(`cases.signOff.${k.planStatus}`)}
        </Tag>
      ) : null}
      {k.overdue ? (
        <Tag color="red" data-testid="case-overdue-tag">
          {t('cases.overdue')}
        </Tag>
      ) : null}
    </Space>
  );
}

/** One case: the stage stepper, what may be done now, the stage records, service records and the thread. */
export default function CasePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const q = useCase(id);
  // A supervisor's sign-off or a colleague's change shows without reloading (ids only come over the stream).
  useLiveEvents(['case.updated'], (type, data) => {
    if (type === RESYNC || (data as { id?: string } | null)?.id === id) void q.refetch();
  });
  const act = useCaseMutation(id ?? '', '/actions');
  const signOff = useCaseMutation(id ?? '', '/sign-off');
  const addService = useCaseMutation(id ?? '', '/services');
  const transfer = useCaseMutation(id ?? '', '/transfer');
  const [open, setOpen] = useState<CaseAction | 'service' | 'transfer' | null>(null);

  if (q.isError && !q.data) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading rows={8} />;
  const k = q.data;
  const canWrite = can('cases.write');

  /** Runs a write with the version read; a stale version reloads the case and says so. */
  const run = async (m: typeof act, body: Record<string, unknown>) => {
    try {
      await m.mutateAsync({ ...body, version: k.version });
      setOpen(null);
      message.success(t('cases.saved'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_version') {
        await q.refetch();
        setOpen(null);
        message.warning(t('cases.staleReload'));
        return;
      }
      throw e;
    }
  };
  const doAction = (body: Record<string, unknown>) => run(SUPERVISE.includes(body.action as CaseAction) ? signOff : act, body);

  const actionButton = (a: CaseAction) => {
    const text = label(CASE_ACTION_LABELS, a);
    const danger = a === 'return_plan' || a === 'return_closure';
    const primary = a === 'approve_plan' || a === 'approve_closure' || a === 'assess' || a === 'submit_plan' || a === 'evaluate';
    if (a === 'start_intervention')
      return (
        <Popconfirm key={a} title={text} onConfirm={() => doAction({ action: a }).catch((e) => message.error(errorText(e)))}>
          <Button type="primary" data-testid={`case-action-${a}`}>
            {text}
          </Button>
        </Popconfirm>
      );
    return (
      <Button key={a} type={primary ? 'primary' : 'default'} danger={danger} onClick={() => setOpen(a)} data-testid={`case-action-${a}`}>
        {text}
      </Button>
    );
  };

  const steps = [
    t('cases.stepIntake'),
    t('cases.stepAssessment'),
    t('cases.stepPlan'),
    t('cases.stepIntervention'),
    t('cases.stepEvaluation'),
    t('cases.stepClosure'),
  ];

  return (
    <div data-testid="case-page" data-case-id={k.id} data-stage={k.stage} data-version={k.version}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Link to="/cases" data-testid="case-back">
          <ArrowLeftOutlined /> {t('cases.back')}
        </Link>
      </Space>
      <Card style={{ marginBottom: 16 }} styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-title">
              {k.title}
            </Typography.Title>
            <StageTag k={k} />
          </Space>
          <Steps
            size="small"
            progressDot={mobile}
            responsive={false}
            current={STEP_OF[k.stage]}
            status={k.stage === 'closed' ? 'finish' : k.overdue ? 'error' : 'process'}
            items={steps.map((title) => ({ title }))}
            data-testid="case-stepper"
          />
          <Descriptions
            size="small"
            column={mobile ? 1 : 3}
            items={[
              {
                key: 'client',
                label: t('cases.client'),
                children: <Link to={`/clients/${k.clientId}`}>{k.clientName ?? '—'}</Link>,
              },
              { key: 'owner', label: t('cases.owner'), children: <span data-testid="case-owner">{k.ownerName ?? '—'}</span> },
              { key: 'unit', label: t('cases.unit'), children: k.unitName ?? '—' },
              {
                key: 'source',
                label: t('cases.source'),
                children: `${label(CASE_SOURCE_LABELS, k.source)}${k.sourceRef ? ` · ${k.sourceRef}` : ''}`,
              },
              { key: 'opened', label: t('cases.opened'), children: dayjs(k.openedAt).format('YYYY-MM-DD') },
              {
                key: 'due',
                label: t('cases.due'),
                children: (
                  <Typography.Text type={k.overdue ? 'danger' : undefined} data-testid="case-due">
                    {k.dueDate ?? t('cases.noDue')}
                  </Typography.Text>
                ),
              },
              ...(k.reopenCount > 0 ? [{ key: 'reopen', label: '', children: t('cases.reopenCount', { n: k.reopenCount }) }] : []),
            ]}
          />
          <Space wrap data-testid="case-actions">
            {k.allowedActions.map(actionButton)}
            {canWrite && k.stage === 'intervention' ? (
              <Button icon={<PlusOutlined />} onClick={() => setOpen('service')} data-testid="case-add-service">
                {t('cases.addService')}
              </Button>
            ) : null}
            {canWrite && k.stage !== 'closed' ? (
              <Button icon={<SwapOutlined />} onClick={() => setOpen('transfer')} data-testid="case-transfer-open">
                {t('cases.transfer')}
              </Button>
            ) : null}
          </Space>
        </Space>
      </Card>

      <StageRecords k={k} />

      <Card title={t('cases.services')} style={{ marginBottom: 16 }} styles={{ body: { padding: mobile ? 12 : undefined } }}>
        {k.services.length === 0 ? (
          <Empty description={t('cases.noServices')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            dataSource={k.services}
            renderItem={(s) => (
              <List.Item data-testid="case-service-item">
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{s.serviceDate}</span>
                      <Tag>{label(SERVICE_KIND_LABELS, s.kind)}</Tag>
                      <span>{t('cases.minutes', { n: s.durationMinutes })}</span>
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={2}>
                      {s.notes ? <span>{s.notes}</span> : null}
                      <Space size={4} wrap>
                        {s.societies.map((x) => (
                          <Tag key={x} color="cyan">
                            {label(FIVE_SOCIETIES, x)}
                          </Tag>
                        ))}
                        <Typography.Text type="secondary">{[s.createdByName, ...s.workerNames].filter(Boolean).join('、')}</Typography.Text>
                      </Space>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>

      <Thread k={k} />

      <AssessmentModal open={open === 'assess'} k={k} onClose={() => setOpen(null)} onSubmit={doAction} />
      <PlanModal open={open === 'submit_plan'} k={k} onClose={() => setOpen(null)} onSubmit={doAction} />
      <EvaluationModal open={open === 'evaluate'} k={k} onClose={() => setOpen(null)} onSubmit={doAction} />
      <ReasonModal
        action={open && REASON_ACTIONS.includes(open as CaseAction) ? (open as CaseAction) : null}
        onClose={() => setOpen(null)}
        onSubmit={doAction}
      />
      <ServiceModal
        open={open === 'service'}
        onClose={() => setOpen(null)}
        onSubmit={async (body) => {
          await addService.mutateAsync(body);
          setOpen(null);
          message.success(t('cases.saved'));
        }}
      />
      <TransferModal open={open === 'transfer'} k={k} onClose={() => setOpen(null)} onSubmit={(body) => run(transfer, body)} />
    </div>
  );
}

/** What each stage recorded: the assessment, the plan's goals, the evaluation and the closure. */
function StageRecords({ k }: { k: CaseDetail }) {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const resultOf = (goalId: string) => k.evaluation?.results.find((r) => r.goalId === goalId);
  if (!k.assessment && !k.plan && !k.closureReason) return null;
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: mobile ? 12 : undefined } }} data-testid="case-records">
      {k.assessment ? (
        <div style={{ marginBottom: 16 }} data-testid="case-assessment">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('cases.assessment')} <Tag>{`${t('cases.risk')}: ${label(CASE_RISK_LABELS, k.assessment.risk)}`}</Tag>
          </Typography.Title>
          <Typography.Text type="secondary">{t('cases.problems')}</Typography.Text>
          <ul style={{ marginTop: 4 }}>
            {k.assessment.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {k.assessment.strengths.length ? (
            <>
              <Typography.Text type="secondary">{t('cases.strengths')}</Typography.Text>
              <ul style={{ marginTop: 4 }}>
                {k.assessment.strengths.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </>
          ) : null}
          {k.assessment.summary ? <Typography.Paragraph>{k.assessment.summary}</Typography.Paragraph> : null}
        </div>
      ) : null}
      {k.plan ? (
        <div style={{ marginBottom: 16 }} data-testid="case-plan-goals">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('cases.plan')}{' '}
            {k.planStatus !== 'none' ? (
              <Tag color={k.planStatus === 'approved' ? 'green' : 'gold'}>{t(`cases.signOff.${k.planStatus}`)}</Tag>
            ) : null}
          </Typography.Title>
          <List
            size="small"
            dataSource={k.plan.goals}
            renderItem={(g, i) => {
              const r = resultOf(g.id);
              return (
                <List.Item data-testid="case-goal">
                  <Space direction="vertical" size={0} style={{ width: '100%' }}>
                    <Space wrap>
                      <Typography.Text strong>
                        {i + 1}. {g.goal}
                      </Typography.Text>
                      <Typography.Text type="secondary">{g.targetDate}</Typography.Text>
                      {r ? (
                        <Tag color={r.result === 'met' ? 'green' : r.result === 'partly' ? 'gold' : 'red'} data-testid="case-goal-result">
                          {label(GOAL_RESULT_LABELS, r.result)}
                        </Tag>
                      ) : null}
                    </Space>
                    <Typography.Text>{g.measures}</Typography.Text>
                    {r?.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null}
                  </Space>
                </List.Item>
              );
            }}
          />
          {k.evaluation?.summary ? <Typography.Paragraph>{k.evaluation.summary}</Typography.Paragraph> : null}
        </div>
      ) : null}
      {k.closureReason ? (
        <div data-testid="case-closure">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('cases.closure')} {k.closureStatus !== 'none' ? <Tag>{t(`cases.signOff.${k.closureStatus}`)}</Tag> : null}
          </Typography.Title>
          <Typography.Text>{k.closureReason}</Typography.Text>
        </div>
      ) : null}
    </Card>
  );
}

/** The thread: transitions, sign-offs, transfers and comments, oldest first, with a comment box. */
function Thread({ k }: { k: CaseDetail }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const comment = useCaseMutation(k.id, '/comments');
  const [text, setText] = useState('');
  const canComment = can('cases.write') || can('cases.supervise');
  const send = async () => {
    if (!text.trim()) return;
    try {
      await comment.mutateAsync({ body: text.trim() });
      setText('');
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const what = (e: CaseDetail['events'][number]) =>
    e.kind === 'comment'
      ? t('cases.eventComment')
      : e.kind === 'transfer'
        ? t('cases.eventTransfer')
        : e.action === 'intake'
          ? t('cases.eventIntake')
          : label(CASE_ACTION_LABELS, e.action ?? '');
  return (
    <Card title={t('cases.thread')} data-testid="case-thread">
      <Timeline
        items={k.events.map((e) => ({
          key: e.id,
          color: e.action?.startsWith('return')
            ? 'orange'
            : e.kind === 'comment'
              ? 'gray'
              : e.action?.startsWith('approve')
                ? 'green'
                : 'blue',
          children: (
            <div data-testid="case-event" data-kind={e.kind} data-action={e.action ?? ''}>
              <Space wrap size={6}>
                <Typography.Text strong>{what(e)}</Typography.Text>
                <Typography.Text type="secondary">
                  {e.authorName ?? ''} · {dayjs(e.createdAt).format('YYYY-MM-DD HH:mm')}
                </Typography.Text>
              </Space>
              {e.body ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.body}</div> : null}
            </div>
          ),
        }))}
      />
      {canComment ? (
        <Space.Compact style={{ width: '100%' }}>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('cases.commentPlaceholder')}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={2000}
            data-testid="case-comment-input"
          />
          <Button
            type="primary"
            icon={<SendOutlined />}
            onClick={() => void send()}
            loading={comment.isPending}
            data-testid="case-comment-send"
          >
            {t('cases.send')}
          </Button>
        </Space.Compact>
      ) : null}
    </Card>
  );
}
