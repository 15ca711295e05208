import { SettingOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { applyFieldErrors, ErrorState, Loading, useErrorText, useIsMobile } from '../../app/ui';

interface CaseSettings {
  deadlines: Record<'intake' | 'assessment' | 'plan' | 'intervention' | 'evaluation' | 'closure', number>;
  requirePlanSignOff: boolean;
  requireClosureSignOff: boolean;
  version: number;
}
const STAGES = ['intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure'] as const;

/** 个案设置: days allowed per stage and the supervision gates of the deployment. */
export default function CaseSettingsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<CaseSettings>();
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({ queryKey: ['cases', 'settings'], queryFn: ({ signal }) => api<CaseSettings>('/api/cases/settings', { signal }) });
  const save = useMutation({
    mutationFn: (body: CaseSettings) => api<CaseSettings>('/api/cases/settings', { method: 'PUT', body }),
    onSuccess: (s) => {
      qc.setQueryData(['cases', 'settings'], s);
      void qc.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  if (q.isError && !q.data) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const s = q.data;
  return (
    <div data-testid="case-settings-page">
      <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 16 }}>
        <SettingOutlined /> {t('cases.settings.title')}
      </Typography.Title>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }} style={{ maxWidth: 720 }}>
        {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
        <Form<CaseSettings>
          key={s.version}
          form={form}
          layout="vertical"
          initialValues={s}
          onFinish={async (v) => {
            setError(null);
            try {
              await save.mutateAsync({ ...v, version: s.version });
              message.success(t('cases.saved'));
            } catch (e) {
              if (!applyFieldErrors(form, e, t)) setError(e);
              void q.refetch();
            }
          }}
        >
          <Typography.Paragraph type="secondary">{t('cases.settings.deadlinesHelp')}</Typography.Paragraph>
          <Space wrap size={16}>
            {STAGES.map((st) => (
              <Form.Item key={st} name={['deadlines', st]} label={t(`cases.settings.${st}`)} rules={[{ required: true }]}>
                <InputNumber
                  min={1}
                  max={365}
                  addonAfter={t('cases.settings.days')}
                  style={{ width: 150 }}
                  data-testid={`case-deadline-${st}`}
                />
              </Form.Item>
            ))}
          </Space>
          <Form.Item name="requirePlanSignOff" label={t('cases.settings.requirePlanSignOff')} valuePropName="checked">
            <Switch data-testid="case-require-plan" />
          </Form.Item>
          <Form.Item name="requireClosureSignOff" label={t('cases.settings.requireClosureSignOff')} valuePropName="checked">
            <Switch data-testid="case-require-closure" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="case-settings-save">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
