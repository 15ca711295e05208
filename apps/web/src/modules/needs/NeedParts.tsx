import { useQueryClient } from '@tanstack/react-query';
import { NEED_SEVERITIES, NEED_STATUS_LABELS, NEED_TRANSITIONS, NEED_TYPES, type NeedStatus } from '@wushe/domain';
import { App, Button, Empty, Form, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api } from '../../app/api';
import { FormModal } from '../../app/FormModal';
import { useErrorText, useIsMobile, useLabel } from '../../app/ui';
import type { Need, NeedSeverity } from './types';

const SEVERITY_COLORS: Record<NeedSeverity, string | undefined> = { low: undefined, medium: 'gold', high: 'orange', urgent: 'red' };
const STATUS_COLORS: Record<NeedStatus, string | undefined> = {
  open: 'blue',
  in_progress: 'processing',
  met: 'green',
  referred: 'purple',
  cannot_be_met: 'default',
};
/** Final states that need a reason. */
const WITH_REASON: NeedStatus[] = ['referred', 'cannot_be_met'];

export function SeverityTag({ severity }: { severity: NeedSeverity }) {
  const label = useLabel();
  return (
    <Tag color={SEVERITY_COLORS[severity]} data-testid="need-severity" data-severity={severity}>
      {label(NEED_SEVERITIES, severity)}
    </Tag>
  );
}

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="need-status" data-status={status}>
      {label(NEED_STATUS_LABELS, status)}
    </Tag>
  );
}

/** PATCH a need's status with its version; a stale version tells the user and reloads the lists. */
function useChangeStatus() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  return async (need: Need, status: NeedStatus, statusReason?: string, toast = true): Promise<void> => {
    try {
      await api<Need>(`/api/needs/${need.id}`, {
        method: 'PATCH',
        body: { version: need.version, status, ...(statusReason ? { statusReason } : {}) },
      });
      message.success(t('needs.changed'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_version') message.warning(t('needs.stale'));
      else {
        if (toast) message.error(errorText(e));
        throw e;
      }
    } finally {
      await qc.invalidateQueries({ queryKey: ['needs'] });
    }
  };
}

/** Buttons for the status changes NEED_TRANSITIONS allows from the need's status. */
function NeedActions({ need, onReason }: { need: Need; onReason: (need: Need, status: NeedStatus) => void }) {
  const { t } = useTranslation();
  const change = useChangeStatus();
  const [busy, setBusy] = useState<NeedStatus | null>(null);
  const next = NEED_TRANSITIONS[need.status] ?? [];
  if (next.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      {next.map((s) => (
        <Button
          key={s}
          size="small"
          type={s === 'met' ? 'primary' : 'default'}
          loading={busy === s}
          onClick={async () => {
            if (WITH_REASON.includes(s)) return onReason(need, s);
            setBusy(s);
            try {
              await change(need, s);
            } catch {
              // shown by useChangeStatus
            } finally {
              setBusy(null);
            }
          }}
          data-testid={`need-action-${s}`}
        >
          {t(`needs.action.${s}`)}
        </Button>
      ))}
    </Space>
  );
}

/** Asks why a need is referred or cannot be met, then changes its status. */
function ReasonModal({ target, onClose }: { target: { need: Need; status: NeedStatus } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useChangeStatus();
  return (
    <FormModal<{ reason: string }>
      open={!!target}
      title={target ? t(`needs.action.${target.status}`) : ''}
      onCancel={onClose}
      onSubmit={async (v) => {
        if (!target) return;
        await change(target.need, target.status, v.reason.trim(), false);
        onClose();
      }}
      data-testid="need-reason"
    >
      <Form.Item
        name="reason"
        label={t('needs.reason')}
        rules={[
          { required: true, whitespace: true, message: t('needs.reasonRequired') },
          { min: 2, message: t('needs.reasonRequired') },
          { max: 500 },
        ]}
      >
        <Input.TextArea autoFocus rows={3} maxLength={500} showCount data-testid="need-reason-input" />
      </Form.Item>
    </FormModal>
  );
}

/** Needs as a table (desktop) or a list (phone), with status actions for writers. */
export function NeedsView({
  items,
  loading,
  canWrite,
  showClient,
  emptyText,
}: {
  items: Need[];
  loading: boolean;
  canWrite: boolean;
  showClient: boolean;
  emptyText: string;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const [asking, setAsking] = useState<{ need: Need; status: NeedStatus } | null>(null);
  const onReason = (need: Need, status: NeedStatus) => setAsking({ need, status });
  const assessed = (n: Need) => [n.assessedByName, dayjs(n.assessedAt).format('YYYY-MM-DD HH:mm')].filter(Boolean).join(' · ');
  const clientLink = (n: Need) => (
    <Link to={`/clients/${n.clientId}`} data-testid="need-client-link">
      {n.clientName}
    </Link>
  );

  return (
    <>
      {mobile ? (
        <List<Need>
          loading={loading}
          dataSource={items}
          locale={{ emptyText: <Empty description={emptyText} /> }}
          data-testid="needs-list"
          renderItem={(n) => (
            <List.Item data-testid="need-row" data-need-id={n.id} data-status={n.status} style={{ display: 'block' }}>
              <Space wrap size={[6, 4]} style={{ marginBottom: 4 }}>
                {showClient ? <span style={{ fontWeight: 600 }}>{clientLink(n)}</span> : null}
                <Typography.Text strong>{label(NEED_TYPES, n.needType)}</Typography.Text>
                <SeverityTag severity={n.severity} />
                <NeedStatusTag status={n.status} />
              </Space>
              {n.description ? <div style={{ whiteSpace: 'pre-wrap' }}>{n.description}</div> : null}
              {n.statusReason ? (
                <Typography.Text type="secondary">{t('needs.reasonIs', { reason: n.statusReason })}</Typography.Text>
              ) : null}
              <div>
                <Typography.Text type="secondary">{assessed(n)}</Typography.Text>
              </div>
              {canWrite ? (
                <div style={{ marginTop: 6 }}>
                  <NeedActions need={n} onReason={onReason} />
                </div>
              ) : null}
            </List.Item>
          )}
        />
      ) : (
        <Table<Need>
          rowKey="id"
          loading={loading}
          dataSource={items}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={emptyText} /> }}
          onRow={(n) => ({ 'data-testid': 'need-row', 'data-need-id': n.id, 'data-status': n.status }) as React.HTMLAttributes<HTMLElement>}
          data-testid="needs-table"
          columns={[
            ...(showClient ? [{ title: t('needs.client'), key: 'client', render: (_: unknown, n: Need) => clientLink(n) }] : []),
            { title: t('needs.needType'), key: 'needType', render: (_: unknown, n) => label(NEED_TYPES, n.needType) },
            { title: t('needs.severity'), key: 'severity', render: (_: unknown, n) => <SeverityTag severity={n.severity} /> },
            { title: t('needs.status'), key: 'status', render: (_: unknown, n) => <NeedStatusTag status={n.status} /> },
            {
              title: t('needs.description'),
              key: 'description',
              render: (_: unknown, n) => (
                <div style={{ maxWidth: 360, whiteSpace: 'pre-wrap' }}>
                  {n.description ?? '—'}
                  {n.statusReason ? (
                    <div>
                      <Typography.Text type="secondary">{t('needs.reasonIs', { reason: n.statusReason })}</Typography.Text>
                    </div>
                  ) : null}
                </div>
              ),
            },
            {
              title: t('needs.assessed'),
              key: 'assessed',
              render: (_: unknown, n) => <Typography.Text type="secondary">{assessed(n)}</Typography.Text>,
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, n: Need) => <NeedActions need={n} onReason={onReason} />,
                  },
                ]
              : []),
          ]}
        />
      )}
      <ReasonModal target={asking} onClose={() => setAsking(null)} />
    </>
  );
}

/** 新增需求: need type, severity and description of one client → POST /api/needs. */
export function NewNeedModal({ clientId, open, onClose }: { clientId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return (
    <FormModal<{ needType: string; severity: NeedSeverity; description?: string }>
      open={open}
      title={t('needs.create')}
      initialValues={{ severity: 'medium' }}
      onCancel={onClose}
      onSubmit={async (v) => {
        await api<Need>('/api/needs', {
          method: 'POST',
          body: { clientId, needType: v.needType, severity: v.severity, description: v.description?.trim() || null },
        });
        message.success(t('needs.created'));
        await qc.invalidateQueries({ queryKey: ['needs'] });
        onClose();
      }}
      data-testid="need-new"
    >
      <Form.Item name="needType" label={t('needs.needType')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          showSearch={{ optionFilterProp: 'title' }}
          options={NEED_TYPES.map((n) => ({
            value: n.value,
            title: label(NEED_TYPES, n.value),
            label: <span data-testid={`need-type-option-${n.value}`}>{label(NEED_TYPES, n.value)}</span>,
          }))}
          data-testid="need-new-type"
        />
      </Form.Item>
      <Form.Item name="severity" label={t('needs.severity')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          options={NEED_SEVERITIES.map((s) => ({ value: s.value, label: label(NEED_SEVERITIES, s.value) }))}
          data-testid="need-new-severity"
        />
      </Form.Item>
      <Form.Item name="description" label={t('needs.description')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={3} maxLength={1000} showCount data-testid="need-new-description" />
      </Form.Item>
    </FormModal>
  );
}
