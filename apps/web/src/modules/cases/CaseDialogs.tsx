import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CASE_ACTION_LABELS,
  CASE_RISK_LABELS,
  CASE_SOURCE_LABELS,
  type CaseAction,
  FIVE_SOCIETIES,
  GOAL_RESULT_LABELS,
  SERVICE_KIND_LABELS,
} from '@wushe/domain';
import { Button, Checkbox, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../app/FormModal';
import { useLabel } from '../../app/ui';
import { useScopeUsers } from './queries';
import type { CaseDetail } from './types';

const required = { required: true, whitespace: true };
const today = () => dayjs().format('YYYY-MM-DD');

/** 预估: problems and strengths (one per line of the list), risk and a summary. */
export function AssessmentModal(p: {
  open: boolean;
  k: CaseDetail;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const a = p.k.assessment;
  return (
    <FormModal<{ problems: string[]; strengths: string[]; risk: string; summary?: string }>
      open={p.open}
      title={t('cases.assessment')}
      onCancel={p.onClose}
      initialValues={{ problems: a?.problems ?? [''], strengths: a?.strengths ?? [], risk: a?.risk ?? 'medium', summary: a?.summary ?? '' }}
      onSubmit={(v) =>
        p.onSubmit({
          action: 'assess',
          assessment: {
            problems: v.problems.filter((x) => x?.trim()),
            strengths: (v.strengths ?? []).filter((x) => x?.trim()),
            risk: v.risk,
            summary: v.summary || null,
          },
        })
      }
      data-testid="case-assess"
    >
      <TextList name="problems" label={t('cases.problems')} add={t('cases.addProblem')} testId="problem" min={1} />
      <TextList name="strengths" label={t('cases.strengths')} add={t('cases.addStrength')} testId="strength" min={0} />
      <Form.Item name="risk" label={t('cases.risk')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={CASE_RISK_LABELS.map((r) => ({
            value: r.value,
            label: <span data-testid={`risk-${r.value}`}>{label(CASE_RISK_LABELS, r.value)}</span>,
          }))}
        />
      </Form.Item>
      <Form.Item name="summary" label={t('cases.summary')}>
        <Input.TextArea rows={2} maxLength={2000} data-testid="assessment-summary" />
      </Form.Item>
    </FormModal>
  );
}

function TextList(p: { name: string; label: string; add: string; testId: string; min: number }) {
  return (
    <Form.Item label={p.label} required={p.min > 0}>
      <Form.List name={p.name}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} style={{ display: 'flex', marginBottom: 8 }} align="baseline">
                <Form.Item name={f.name} rules={i < p.min ? [required] : []} style={{ marginBottom: 0, flex: 1, minWidth: 240 }}>
                  <Input maxLength={500} data-testid={`${p.testId}-${i}`} />
                </Form.Item>
                {fields.length > p.min ? <MinusCircleOutlined onClick={() => remove(f.name)} /> : null}
              </Space>
            ))}
            <Button type="dashed" onClick={() => add('')} icon={<PlusOutlined />} data-testid={`${p.testId}-add`}>
              {p.add}
            </Button>
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** 服务计划: goals with measures and target dates (a returned plan keeps its goals' ids). */
export function PlanModal(p: {
  open: boolean;
  k: CaseDetail;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const goals = p.k.plan?.goals ?? [{ id: undefined, goal: '', measures: '', targetDate: dayjs().add(3, 'month').format('YYYY-MM-DD') }];
  return (
    <FormModal<{ goals: { id?: string; goal: string; measures: string; targetDate: string }[]; summary?: string }>
      open={p.open}
      title={t('cases.plan')}
      width={720}
      onCancel={p.onClose}
      initialValues={{ goals, summary: p.k.plan?.summary ?? '' }}
      onSubmit={(v) => p.onSubmit({ action: 'submit_plan', plan: { goals: v.goals, summary: v.summary || null } })}
      data-testid="case-plan"
    >
      <Form.List name="goals">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <div key={f.key} style={{ border: '1px solid rgba(0,0,0,0.08)', borderRadius: 8, padding: 12, marginBottom: 12 }}>
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Typography.Text strong>
                    {t('cases.goal')} {i + 1}
                  </Typography.Text>
                  {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(f.name)} data-testid={`goal-${i}-remove`} /> : null}
                </Space>
                <Form.Item name={[f.name, 'id']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item name={[f.name, 'goal']} label={t('cases.goal')} rules={[required]}>
                  <Input maxLength={500} data-testid={`goal-${i}-goal`} />
                </Form.Item>
                <Form.Item name={[f.name, 'measures']} label={t('cases.measures')} rules={[required]}>
                  <Input.TextArea rows={2} maxLength={2000} data-testid={`goal-${i}-measures`} />
                </Form.Item>
                <Form.Item name={[f.name, 'targetDate']} label={t('cases.targetDate')} rules={[{ required: true }]}>
                  <Input type="date" data-testid={`goal-${i}-date`} />
                </Form.Item>
              </div>
            ))}
            {fields.length < 20 ? (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ goal: '', measures: '', targetDate: dayjs().add(3, 'month').format('YYYY-MM-DD') })}
                style={{ marginBottom: 12 }}
                data-testid="goal-add"
              >
                {t('cases.addGoal')}
              </Button>
            ) : null}
          </>
        )}
      </Form.List>
      <Form.Item name="summary" label={t('cases.summary')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

/** 评估: one result for each goal of the plan. */
export function EvaluationModal(p: {
  open: boolean;
  k: CaseDetail;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const goals = p.k.plan?.goals ?? [];
  return (
    <FormModal<{ results: { goalId: string; result: string; note?: string }[]; summary?: string }>
      open={p.open}
      title={t('cases.evaluation')}
      width={640}
      onCancel={p.onClose}
      initialValues={{ results: goals.map((g) => ({ goalId: g.id, result: undefined as unknown as string, note: '' })), summary: '' }}
      onSubmit={(v) =>
        p.onSubmit({
          action: 'evaluate',
          evaluation: {
            results: v.results.map((r) => ({ goalId: r.goalId, result: r.result, note: r.note || null })),
            summary: v.summary || null,
          },
        })
      }
      data-testid="case-evaluate"
    >
      {goals.map((g, i) => (
        <div key={g.id} style={{ marginBottom: 8 }}>
          <Typography.Text strong>
            {i + 1}. {g.goal}
          </Typography.Text>
          <Form.Item name={['results', i, 'goalId']} hidden>
            <Input />
          </Form.Item>
          <Form.Item name={['results', i, 'result']} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
            <Radio.Group
              optionType="button"
              options={GOAL_RESULT_LABELS.map((r) => ({
                value: r.value,
                label: <span data-testid={`eval-${i}-${r.value}`}>{label(GOAL_RESULT_LABELS, r.value)}</span>,
              }))}
            />
          </Form.Item>
          <Form.Item name={['results', i, 'note']}>
            <Input placeholder={t('cases.note')} maxLength={1000} />
          </Form.Item>
        </div>
      ))}
      <Form.Item name="summary" label={t('cases.summary')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

/** A reason or comment for request_closure, reopen and the sign-offs (required where the table says so). */
export function ReasonModal(p: {
  action: CaseAction | null;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const a = p.action;
  const isSignOff = a === 'approve_plan' || a === 'return_plan' || a === 'approve_closure' || a === 'return_closure';
  const mustGive = a !== 'approve_plan' && a !== 'approve_closure';
  const field = isSignOff ? 'comment' : 'reason';
  return (
    <FormModal<{ text?: string }>
      open={a !== null}
      title={a ? label(CASE_ACTION_LABELS, a) : ''}
      onCancel={p.onClose}
      onSubmit={(v) => p.onSubmit({ action: a, [field]: v.text?.trim() ? v.text.trim() : isSignOff ? null : '' })}
      okText={a ? label(CASE_ACTION_LABELS, a) : undefined}
      rename={{ reason: 'text', comment: 'text' }}
      data-testid="case-reason"
    >
      <Form.Item
        name="text"
        label={a === 'request_closure' ? t('cases.closureReason') : isSignOff ? t('cases.comment') : t('cases.reason')}
        rules={mustGive ? [{ required: true, whitespace: true, min: 2, message: t('cases.commentRequired') }] : []}
      >
        <Input.TextArea rows={3} maxLength={2000} data-testid="case-reason-text" />
      </Form.Item>
    </FormModal>
  );
}

/** 服务记录: date, kind, minutes, who took part, five-societies tags, notes. */
export function ServiceModal(p: { open: boolean; onClose: () => void; onSubmit: (body: Record<string, unknown>) => Promise<void> }) {
  const { t } = useTranslation();
  const label = useLabel();
  const users = useScopeUsers();
  return (
    <FormModal<{ serviceDate: string; kind: string; durationMinutes: number; workerIds?: string[]; societies?: string[]; notes?: string }>
      open={p.open}
      title={t('cases.addService')}
      onCancel={p.onClose}
      initialValues={{ serviceDate: today(), kind: 'home_visit', durationMinutes: 30, societies: ['social_worker'] }}
      onSubmit={(v) =>
        p.onSubmit({
          serviceDate: v.serviceDate,
          kind: v.kind,
          durationMinutes: v.durationMinutes,
          workerIds: v.workerIds ?? [],
          societies: v.societies ?? [],
          notes: v.notes || null,
        })
      }
      data-testid="case-service"
    >
      <Form.Item name="serviceDate" label={t('cases.serviceDate')} rules={[{ required: true }]}>
        <Input type="date" max={today()} data-testid="service-date" />
      </Form.Item>
      <Form.Item name="kind" label={t('cases.serviceKind')} rules={[{ required: true }]}>
        <Select
          options={SERVICE_KIND_LABELS.map((k) => ({
            value: k.value,
            label: <span data-testid={`service-kind-${k.value}`}>{label(SERVICE_KIND_LABELS, k.value)}</span>,
          }))}
          data-testid="service-kind"
        />
      </Form.Item>
      <Form.Item name="durationMinutes" label={t('cases.duration')} rules={[{ required: true }]}>
        <InputNumber min={1} max={1440} style={{ width: 140 }} data-testid="service-duration" />
      </Form.Item>
      <Form.Item name="workerIds" label={t('cases.workers')}>
        <Select
          mode="multiple"
          allowClear
          loading={users.isLoading}
          optionFilterProp="label"
          options={(users.data?.items ?? []).filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.displayName }))}
        />
      </Form.Item>
      <Form.Item name="societies" label={t('cases.societies')}>
        <Checkbox.Group options={FIVE_SOCIETIES.map((s) => ({ value: s.value, label: label(FIVE_SOCIETIES, s.value) }))} />
      </Form.Item>
      <Form.Item name="notes" label={t('cases.notes')}>
        <Input.TextArea rows={3} maxLength={4000} data-testid="service-notes" />
      </Form.Item>
    </FormModal>
  );
}

/** Hands the case to another worker of the scope. */
export function TransferModal(p: {
  open: boolean;
  k: CaseDetail;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const users = useScopeUsers();
  return (
    <FormModal<{ ownerId: string; reason: string }>
      open={p.open}
      title={t('cases.transfer')}
      onCancel={p.onClose}
      onSubmit={(v) => p.onSubmit({ ownerId: v.ownerId, reason: v.reason })}
      data-testid="case-transfer"
    >
      <Form.Item name="ownerId" label={t('cases.transferTo')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          loading={users.isLoading}
          options={(users.data?.items ?? [])
            .filter(
              (u) =>
                u.status === 'active' && u.id !== p.k.ownerId && ['station_head', 'station_worker', 'community_worker'].includes(u.role),
            )
            .map((u) => ({ value: u.id, label: u.displayName }))}
          data-testid="transfer-owner"
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('cases.transferReason')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('cases.commentRequired') }]}
      >
        <Input.TextArea rows={2} maxLength={2000} data-testid="transfer-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** 接案: a new case for a client (from the client page). */
export function NewCaseModal(p: { open: boolean; onClose: () => void; onSubmit: (body: Record<string, unknown>) => Promise<void> }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <FormModal<{ title: string; source: string; sourceRef?: string }>
      open={p.open}
      title={t('cases.createTitle')}
      onCancel={p.onClose}
      initialValues={{ source: 'walk_in' }}
      onSubmit={(v) => p.onSubmit({ title: v.title, source: v.source, sourceRef: v.sourceRef || null })}
      data-testid="case-new"
    >
      <Form.Item name="title" label={t('cases.caseTitle')} rules={[required]}>
        <Input maxLength={200} placeholder={t('cases.caseTitlePlaceholder')} data-testid="case-new-title" />
      </Form.Item>
      <Form.Item name="source" label={t('cases.source')} rules={[{ required: true }]}>
        <Radio.Group
          options={CASE_SOURCE_LABELS.map((s) => ({
            value: s.value,
            label: <span data-testid={`case-source-${s.value}`}>{label(CASE_SOURCE_LABELS, s.value)}</span>,
          }))}
        />
      </Form.Item>
      <Form.Item name="sourceRef" label={t('cases.sourceRef')}>
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}
