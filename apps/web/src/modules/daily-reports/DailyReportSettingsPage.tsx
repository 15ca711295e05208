import { SettingOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { UNIT_KIND_LABELS } from '@wushe/domain';
import { App, Button, Card, Checkbox, Form, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorState, Loading, useErrorText, useLabel } from '../../app/ui';
import { useDailyReportSettings } from './queries';
import type { DailyReportSettings } from './types';

interface Values {
  unitKinds: string[];
  reminderTime: Dayjs;
  remindersEnabled: boolean;
}

/** 系统设置 → 每日一报: which kinds of unit file a daily report, and when the units that have not are reminded. */
export default function DailyReportSettingsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const settings = useDailyReportSettings();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const data = settings.data;

  useEffect(() => {
    if (data)
      form.setFieldsValue({
        unitKinds: data.unitKinds,
        reminderTime: dayjs(`2000-01-01T${data.reminderTime}`),
        remindersEnabled: data.remindersEnabled,
      });
  }, [data, form]);

  const save = async () => {
    if (!data) return;
    const v = await form.validateFields();
    setSaving(true);
    try {
      const next = await api<DailyReportSettings>('/api/daily-reports/settings', {
        method: 'PUT',
        body: {
          version: data.version,
          unitKinds: v.unitKinds,
          reminderTime: v.reminderTime.format('HH:mm'),
          remindersEnabled: v.remindersEnabled,
        },
      });
      qc.setQueryData(['daily-reports', 'settings'], next);
      message.success(t('dailyReports.settingsSaved'));
    } catch (e) {
      message.error(errorText(e));
      await settings.refetch();
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="daily-report-settings-page">
      <Typography.Title level={4}>
        <SettingOutlined /> {t('dailyReports.settingsTitle')}
      </Typography.Title>
      <Card style={{ maxWidth: 640 }}>
        {settings.isLoading ? (
          <Loading rows={4} />
        ) : settings.isError ? (
          <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <Form form={form} layout="vertical">
            <Form.Item
              name="unitKinds"
              label={t('dailyReports.unitKinds')}
              extra={t('dailyReports.unitKindsHelp')}
              rules={[{ required: true, type: 'array', min: 1, message: t('dailyReports.unitKindsRequired') }]}
            >
              <Checkbox.Group options={UNIT_KIND_LABELS.map((k) => ({ value: k.value, label: label(UNIT_KIND_LABELS, k.value) }))} />
            </Form.Item>
            <Form.Item
              name="reminderTime"
              label={t('dailyReports.reminderTime')}
              extra={t('dailyReports.reminderHelp')}
              rules={[{ required: true }]}
            >
              <TimePicker format="HH:mm" minuteStep={5} allowClear={false} data-testid="daily-report-reminder-time" />
            </Form.Item>
            <Form.Item name="remindersEnabled" label={t('dailyReports.remindersEnabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            {data?.lastReminderDay ? (
              <Typography.Paragraph type="secondary">{t('dailyReports.lastReminder', { day: data.lastReminderDay })}</Typography.Paragraph>
            ) : null}
            <Button type="primary" onClick={save} loading={saving} data-testid="daily-report-settings-save">
              {t('common.save')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
