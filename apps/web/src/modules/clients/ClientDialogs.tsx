import { useQueryClient } from '@tanstack/react-query';
import { CHILD_IN_DIFFICULTY_SUBTYPES, CLIENT_STATUS_LABELS, type ClientStatus, DEFAULT_CLIENT_FLAGS } from '@wushe/domain';
import { App, DatePicker, Form, Input, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { FormModal } from '../../app/FormModal';
import { useLabel } from '../../app/ui';
import { useCategories } from '../settings/queries';
import type { CategoryEntry, ClientDetail, FlagEntry, RevealAnswer, RevealField } from './types';

function ReasonItem({ testId, autoFocus = true }: { testId: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="reason"
      label={t('clients.reason')}
      rules={[
        { required: true, whitespace: true, message: t('clients.reasonRequired') },
        { min: 2, message: t('clients.reasonRequired') },
        { max: 200 },
      ]}
    >
      <Input.TextArea autoFocus={autoFocus} rows={3} maxLength={200} showCount data-testid={testId} />
    </Form.Item>
  );
}

/** Ask why, then show the full ID number, phone or contacts (the server keeps the reason in the audit log). */
export function RevealModal({
  client,
  field,
  onClose,
  onRevealed,
}: {
  client: ClientDetail;
  field: RevealField | null;
  onClose: () => void;
  onRevealed: (answer: RevealAnswer) => void;
}) {
  const { t } = useTranslation();
  return (
    <FormModal<{ reason: string }>
      open={!!field}
      title={field ? t(`clients.revealTitle.${field}`, { name: client.name }) : ''}
      onCancel={onClose}
      okText={t('clients.reveal')}
      onSubmit={async (v) => {
        if (!field) return;
        const answer = await api<RevealAnswer>(`/api/clients/${client.id}/reveal`, {
          method: 'POST',
          body: { field, reason: v.reason.trim() },
        });
        onRevealed(answer);
        onClose();
      }}
      data-testid="reveal"
    >
      <Typography.Paragraph type="secondary">{t('clients.revealHint')}</Typography.Paragraph>
      <ReasonItem testId="reveal-reason" />
    </FormModal>
  );
}

function useRefreshClient(id: string) {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: ['clients', 'detail', id] });
    await qc.invalidateQueries({ queryKey: ['clients', 'list'] });
  };
}

export function SetFlagModal({ client, open, onClose }: { client: ClientDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const refresh = useRefreshClient(client.id);
  return (
    <FormModal<{ flag: string; reason: string }>
      open={open}
      title={t('clients.setFlag')}
      onCancel={onClose}
      onSubmit={async (v) => {
        await api(`/api/clients/${client.id}/flags`, { method: 'POST', body: { flag: v.flag, reason: v.reason.trim() } });
        await refresh();
        message.success(t('clients.flagSet'));
        onClose();
      }}
      data-testid="flag-set"
    >
      <Form.Item name="flag" label={t('clients.flag')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          options={DEFAULT_CLIENT_FLAGS.map((f) => ({
            value: f.value,
            label: label(DEFAULT_CLIENT_FLAGS, f.value),
            disabled: client.flags.includes(f.value),
          }))}
          data-testid="flag-select"
        />
      </Form.Item>
      <ReasonItem testId="flag-reason" autoFocus={false} />
    </FormModal>
  );
}

export function ClearFlagModal({ client, flag, onClose }: { client: ClientDetail; flag: FlagEntry | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const refresh = useRefreshClient(client.id);
  return (
    <FormModal<{ reason: string }>
      open={!!flag}
      title={t('clients.clearFlagOf', { flag: flag ? label(DEFAULT_CLIENT_FLAGS, flag.flag) : '' })}
      onCancel={onClose}
      onSubmit={async (v) => {
        if (!flag) return;
        await api(`/api/clients/${client.id}/flags/${flag.id}/clear`, { method: 'POST', body: { reason: v.reason.trim() } });
        await refresh();
        message.success(t('clients.flagCleared'));
        onClose();
      }}
      data-testid="flag-clear"
    >
      <ReasonItem testId="flag-clear-reason" />
    </FormModal>
  );
}

interface StatusValues {
  status: ClientStatus;
  statusDate?: Dayjs | null;
  statusReason?: string;
}

/** Moved / deceased / exited take a date and a reason; back to active needs neither. */
export function StatusModal({ client, open, onClose }: { client: ClientDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const refresh = useRefreshClient(client.id);
  return (
    <FormModal<StatusValues>
      open={open}
      title={t('clients.changeStatus')}
      initialValues={{ status: client.status, statusDate: dayjs() }}
      onCancel={onClose}
      onSubmit={async (v) => {
        const leaving = v.status !== 'active';
        await api(`/api/clients/${client.id}`, {
          method: 'PATCH',
          body: {
            version: client.version,
            status: v.status,
            statusDate: leaving && v.statusDate ? v.statusDate.format('YYYY-MM-DD') : null,
            statusReason: leaving ? (v.statusReason?.trim() ?? null) : null,
          },
        });
        await refresh();
        message.success(t('clients.saved'));
        onClose();
      }}
      data-testid="status-change"
    >
      {(form) => (
        <>
          <Form.Item name="status" label={t('clients.status')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              options={CLIENT_STATUS_LABELS.map((s) => ({ value: s.value, label: label(CLIENT_STATUS_LABELS, s.value) }))}
              data-testid="status-select"
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.status !== b.status}>
            {() =>
              form.getFieldValue('status') !== 'active' ? (
                <>
                  <Form.Item name="statusDate" label={t('clients.statusDate')} rules={[{ required: true, message: t('common.required') }]}>
                    <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                  </Form.Item>
                  <Form.Item
                    name="statusReason"
                    label={t('clients.reason')}
                    rules={[{ required: true, whitespace: true, message: t('clients.reasonRequired') }, { max: 200 }]}
                  >
                    <Input.TextArea rows={3} maxLength={200} showCount data-testid="status-reason" />
                  </Form.Item>
                </>
              ) : null
            }
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

export function AddCategoryModal({ client, open, onClose }: { client: ClientDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const { message } = App.useApp();
  const refresh = useRefreshClient(client.id);
  return (
    <FormModal<{ category: string; subtype?: string; startDate: Dayjs; source?: string }>
      open={open}
      title={t('clients.addCategory')}
      initialValues={{ startDate: dayjs() }}
      onCancel={onClose}
      onSubmit={async (v) => {
        await api(`/api/clients/${client.id}/categories`, {
          method: 'POST',
          body: {
            category: v.category,
            subtype: v.subtype ?? null,
            startDate: v.startDate.format('YYYY-MM-DD'),
            source: v.source?.trim() || null,
          },
        });
        await refresh();
        message.success(t('clients.saved'));
        onClose();
      }}
      data-testid="category-add-form"
    >
      {(form) => (
        <>
          <Form.Item name="category" label={t('clients.category')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={categories.options.map((c) => ({ ...c, disabled: client.categories.includes(c.value) }))}
              data-testid="category-add-select"
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              form.getFieldValue('category') === 'child_in_difficulty' ? (
                <Form.Item name="subtype" label={t('clients.subtype')}>
                  <Select
                    allowClear
                    options={CHILD_IN_DIFFICULTY_SUBTYPES.map((s) => ({
                      value: s.value,
                      label: label(CHILD_IN_DIFFICULTY_SUBTYPES, s.value),
                    }))}
                  />
                </Form.Item>
              ) : null
            }
          </Form.Item>
          <Form.Item name="startDate" label={t('clients.startDate')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="source" label={t('clients.source')} rules={[{ max: 100 }]}>
            <Input placeholder={t('clients.sourcePlaceholder')} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

export function EndCategoryModal({ client, entry, onClose }: { client: ClientDetail; entry: CategoryEntry | null; onClose: () => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const { message } = App.useApp();
  const refresh = useRefreshClient(client.id);
  return (
    <FormModal<{ endDate: Dayjs; reason?: string }>
      open={!!entry}
      title={t('clients.endCategoryOf', { category: entry ? categories.label(entry.category) : '' })}
      initialValues={{ endDate: dayjs() }}
      onCancel={onClose}
      onSubmit={async (v) => {
        if (!entry) return;
        await api(`/api/clients/${client.id}/categories/${entry.id}/end`, {
          method: 'POST',
          body: { endDate: v.endDate.format('YYYY-MM-DD'), reason: v.reason?.trim() || undefined },
        });
        await refresh();
        message.success(t('clients.saved'));
        onClose();
      }}
      data-testid="category-end-form"
    >
      <Form.Item name="endDate" label={t('clients.endDate')} rules={[{ required: true, message: t('common.required') }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="reason" label={t('clients.reason')} rules={[{ max: 200 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormModal>
  );
}
