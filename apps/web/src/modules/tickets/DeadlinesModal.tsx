import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TICKET_URGENCY_LABELS, type TicketUrgency } from '@wushe/domain';
import { App, Form, InputNumber, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useErrorText, useLabel } from '../../app/ui';

type Deadlines = Record<TicketUrgency, { respondMinutes: number; solveMinutes: number }>;
interface Settings {
  deadlines: Deadlines;
  version: number;
}
/** The form keeps hours (the API speaks minutes). */
type Values = Record<TicketUrgency, { respondHours: number; solveHours: number }>;

/** 工单时限: response and solution deadlines per urgency (settings.write), for tickets received from now on. */
export function DeadlinesModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const settings = useQuery({ queryKey: ['tickets', 'settings'], queryFn: () => api<Settings>('/api/tickets/settings'), enabled: open });
  useEffect(() => {
    if (!settings.data || !open) return;
    const v = {} as Values;
    for (const u of TICKET_URGENCY_LABELS)
      v[u.value] = {
        respondHours: settings.data.deadlines[u.value].respondMinutes / 60,
        solveHours: settings.data.deadlines[u.value].solveMinutes / 60,
      };
    form.setFieldsValue(v);
  }, [settings.data, open, form]);
  const save = async (v: Values) => {
    if (!settings.data) return;
    setSaving(true);
    try {
      const deadlines = {} as Deadlines;
      for (const u of TICKET_URGENCY_LABELS)
        deadlines[u.value] = {
          respondMinutes: Math.round(v[u.value].respondHours * 60),
          solveMinutes: Math.round(v[u.value].solveHours * 60),
        };
      await api('/api/tickets/settings', { method: 'PUT', body: { version: settings.data.version, deadlines } });
      await queryClient.invalidateQueries({ queryKey: ['tickets', 'settings'] });
      message.success(t('tickets.deadlinesSaved'));
      onClose();
    } catch (err) {
      message.error(errorText(err));
      void settings.refetch();
    } finally {
      setSaving(false);
    }
  };
  const hours = { min: 0.1, max: 2160, step: 1, style: { width: 110 } };
  return (
    <Modal
      open={open}
      title={t('tickets.deadlines')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, disabled: !settings.data, ...({ 'data-testid': 'deadlines-save' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('tickets.deadlinesHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save} preserve={false}>
        {TICKET_URGENCY_LABELS.map((u) => (
          <Space key={u.value} align="end" wrap>
            <Typography.Text strong style={{ display: 'inline-block', width: 56, marginBottom: 30 }}>
              {label(TICKET_URGENCY_LABELS, u.value)}
            </Typography.Text>
            <Form.Item
              name={[u.value, 'respondHours']}
              label={t('tickets.respondHours')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <InputNumber {...hours} />
            </Form.Item>
            <Form.Item
              name={[u.value, 'solveHours']}
              label={t('tickets.solveHours')}
              dependencies={[[u.value, 'respondHours']]}
              rules={[
                { required: true, message: t('common.required') },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    value == null || value >= getFieldValue([u.value, 'respondHours'])
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('tickets.solveBeforeRespond'))),
                }),
              ]}
            >
              <InputNumber {...hours} />
            </Form.Item>
          </Space>
        ))}
      </Form>
    </Modal>
  );
}
