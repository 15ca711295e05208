import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Result, Select, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api';
import { LanguageSwitch } from '../../app/layout';
import { applyFieldErrors, useErrorText } from '../../app/ui';
import { VolunteerFields } from './VolunteersPage';

interface PublicUnit {
  id: string;
  name: string;
  kind: string;
  stationName: string | null;
}

/** 志愿者报名: the public registration page (no login); `?unit=<id>` preselects the station. */
export default function JoinPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { token } = theme.useToken();
  const [params] = useSearchParams();
  const [form] = Form.useForm();
  const [units, setUnits] = useState<PublicUnit[]>([]);
  const [sent, setSent] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: PublicUnit[] }>('/api/public/volunteer-units', { quiet401: true })
      .then((r) => setUnits(r.items))
      .catch(setError);
  }, []);
  const send = async (v: Record<string, unknown>) => {
    setSending(true);
    setError(null);
    try {
      await api('/api/public/volunteers', {
        method: 'POST',
        quiet401: true,
        body: { ...v, skills: v.skills ?? [], isCourier: !!v.isCourier, website: v.website ?? '' },
      });
      setSent(true);
    } catch (err) {
      if (!applyFieldErrors(form, err, t) || !(err instanceof ApiError)) setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f4', padding: 16 }} data-testid="join-page">
      <div style={{ maxWidth: 560, margin: '0 auto' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12 }}>
          <Typography.Text strong style={{ color: token.colorPrimary }}>
            {t('app.name')}
          </Typography.Text>
          <LanguageSwitch size="small" />
        </div>
        <Card title={t('volunteers.joinTitle')}>
          {sent ? (
            <Result
              icon={<CheckCircleOutlined style={{ color: token.colorSuccess }} />}
              title={<span data-testid="join-done">{t('volunteers.joinThanks')}</span>}
              subTitle={t('volunteers.joinThanksSub')}
            />
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('volunteers.joinIntro')}</Typography.Paragraph>
              {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
              <Form form={form} layout="vertical" onFinish={send} initialValues={{ unitId: params.get('unit') ?? undefined }}>
                <VolunteerFields
                  unitField={
                    <Form.Item name="unitId" label={t('volunteers.joinUnit')} rules={[{ required: true }]}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        options={units.map((u) => ({ value: u.id, label: u.stationName ? `${u.stationName} · ${u.name}` : u.name }))}
                        data-testid="join-unit"
                      />
                    </Form.Item>
                  }
                />
                {/* Honeypot: hidden from people, filled in by bots. */}
                <Form.Item name="website" label={t('volunteers.website')} style={{ position: 'absolute', left: -10000 }} aria-hidden>
                  <Input tabIndex={-1} autoComplete="off" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={sending} data-testid="join-submit">
                  {t('volunteers.joinSubmit')}
                </Button>
              </Form>
            </>
          )}
        </Card>
      </div>
    </div>
  );
}
