import { AimOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { FIVE_SOCIETIES, NEED_TYPES, VISIT_KINDS } from '@wushe/domain';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../app/api';
import { applyFieldErrors, ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { RiskTag } from '../clients/ClientTags';
import { useClient } from '../clients/queries';
import type { Visit } from './types';

interface VisitValues {
  visitedAt: Dayjs;
  kind: string;
  partners: string[];
  needsFound: string[];
  findings?: string;
  followUp?: string;
  latitude?: number | null;
  longitude?: number | null;
}

/** Needs as tappable tags (big enough for a thumb at 390 px). */
function NeedTags({ value = [], onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const label = useLabel();
  return (
    <Space size={[6, 8]} wrap data-testid="visit-needs">
      {NEED_TYPES.map((n) => (
        <Tag.CheckableTag
          key={n.value}
          checked={value.includes(n.value)}
          onChange={(on) => onChange?.(on ? [...value, n.value] : value.filter((x) => x !== n.value))}
          style={{ padding: '4px 10px', border: '1px solid #d6d3d1', fontSize: 14 }}
          data-testid={`need-${n.value}`}
        >
          {label(NEED_TYPES, n.value)}
        </Tag.CheckableTag>
      ))}
    </Space>
  );
}

function LocationField({ form }: { form: ReturnType<typeof Form.useForm<VisitValues>>[0] }) {
  const { t } = useTranslation();
  const lat = Form.useWatch('latitude', form);
  const lng = Form.useWatch('longitude', form);
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const available = typeof navigator !== 'undefined' && 'geolocation' in navigator;
  const locate = () => {
    setState('busy');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.setFieldsValue({
          latitude: Math.round(pos.coords.latitude * 1e6) / 1e6,
          longitude: Math.round(pos.coords.longitude * 1e6) / 1e6,
        });
        setState('idle');
      },
      () => setState('failed'),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };
  if (!available) return <Typography.Text type="secondary">{t('visits.locationUnavailable')}</Typography.Text>;
  return (
    <Space wrap>
      <Button icon={<AimOutlined />} onClick={locate} loading={state === 'busy'} data-testid="visit-locate">
        {lat != null ? t('visits.locateAgain') : t('visits.locate')}
      </Button>
      {lat != null && lng != null ? (
        <Typography.Text type="secondary" data-testid="visit-location">
          {lat.toFixed(5)}, {lng.toFixed(5)}
        </Typography.Text>
      ) : null}
      {lat != null ? (
        <Button type="link" size="small" onClick={() => form.setFieldsValue({ latitude: null, longitude: null })}>
          {t('common.remove')}
        </Button>
      ) : null}
      {state === 'failed' ? <Typography.Text type="danger">{t('visits.locateFailed')}</Typography.Text> : null}
    </Space>
  );
}

/** Record a visit (page /visits/new?clientId=…), laid out for a phone in the field. */
export default function VisitNewPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const clientId = params.get('clientId');
  const client = useClient(clientId);
  const [form] = Form.useForm<VisitValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  if (!clientId)
    return <Alert type="warning" showIcon title={t('visits.pickClientFirst')} action={<Link to="/clients">{t('clients.title')}</Link>} />;
  if (client.isLoading)
    return (
      <Card>
        <Loading rows={6} />
      </Card>
    );
  if (client.isError || !client.data) return <ErrorState error={client.error} onRetry={() => void client.refetch()} />;
  const c = client.data;

  const onFinish = async (v: VisitValues) => {
    setSaving(true);
    setError(null);
    try {
      await api<Visit>('/api/visits', {
        method: 'POST',
        body: {
          clientId: c.id,
          visitedAt: v.visitedAt.format(),
          kind: v.kind,
          partners: v.partners ?? [],
          needsFound: v.needsFound ?? [],
          findings: v.findings?.trim() || null,
          followUp: v.followUp?.trim() || null,
          latitude: v.latitude ?? null,
          longitude: v.longitude ?? null,
        },
      });
      await Promise.all([qc.invalidateQueries({ queryKey: ['clients'] }), qc.invalidateQueries({ queryKey: ['visits'] })]);
      message.success(t('visits.saved', { name: c.name }));
      navigate(`/clients/${c.id}`);
    } catch (e) {
      const mapped = applyFieldErrors(form, e, t);
      if (!mapped || (e instanceof ApiError && e.code !== 'validation_failed')) setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="visit-new-page" style={{ maxWidth: 760 }}>
      <Link to={`/clients/${c.id}`} style={{ display: 'inline-block', marginBottom: 12 }}>
        <ArrowLeftOutlined /> {c.name}
      </Link>
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <span>{t('visits.recordFor', { name: c.name })}</span>
            <RiskTag level={c.riskLevel} />
          </Space>
        }
        styles={{ body: { padding: mobile ? 12 : undefined } }}
      >
        {error ? (
          <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="visit-form-error" />
        ) : null}
        <Form<VisitValues>
          form={form}
          layout="vertical"
          initialValues={{ visitedAt: dayjs(), kind: 'home', partners: ['social_worker'], needsFound: [] }}
          onFinish={onFinish}
          scrollToFirstError
          data-testid="visit-form"
        >
          <Form.Item name="visitedAt" label={t('visits.visitedAt')} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs().subtract(1, 'year'), 'day')}
              inputReadOnly={mobile}
              data-testid="visit-at"
            />
          </Form.Item>
          <Form.Item name="kind" label={t('visits.kind')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={VISIT_KINDS.map((k) => ({
                value: k.value,
                label: <span data-testid={`visit-kind-${k.value}`}>{label(VISIT_KINDS, k.value)}</span>,
              }))}
              data-testid="visit-kind"
            />
          </Form.Item>
          <Form.Item name="partners" label={t('visits.partners')} extra={t('visits.partnersHint')}>
            <Checkbox.Group
              options={FIVE_SOCIETIES.map((p) => ({ value: p.value, label: label(FIVE_SOCIETIES, p.value) }))}
              data-testid="visit-partners"
            />
          </Form.Item>
          <Form.Item name="needsFound" label={t('visits.needsFound')}>
            <NeedTags />
          </Form.Item>
          <Form.Item name="findings" label={t('visits.findings')} rules={[{ max: 2000 }]}>
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('visits.findingsPlaceholder')}
              data-testid="visit-findings"
            />
          </Form.Item>
          <Form.Item name="followUp" label={t('visits.followUp')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('visits.followUpPlaceholder')} data-testid="visit-follow-up" />
          </Form.Item>
          <Form.Item label={t('visits.location')}>
            <LocationField form={form} />
          </Form.Item>
          <Form.Item name="latitude" hidden>
            <Input />
          </Form.Item>
          <Form.Item name="longitude" hidden>
            <Input />
          </Form.Item>
          <Space style={{ width: '100%' }} orientation={mobile ? 'vertical' : 'horizontal'}>
            <Button
              type="primary"
              htmlType="submit"
              loading={saving}
              block={mobile}
              size={mobile ? 'large' : 'middle'}
              data-testid="visit-submit"
            >
              {t('visits.submit')}
            </Button>
            <Button onClick={() => navigate(`/clients/${c.id}`)} block={mobile} size={mobile ? 'large' : 'middle'}>
              {t('common.cancel')}
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
