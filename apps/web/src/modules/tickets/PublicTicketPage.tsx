import { CheckCircleOutlined } from '@ant-design/icons';
import { TICKET_CATEGORY_LABELS } from '@wushe/domain';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Result, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import { LanguageSwitch } from '../../app/layout';
import { applyFieldErrors, useErrorText, useLabel } from '../../app/ui';
import { AreaSelect } from './AreaSelect';

interface Values {
  category: string;
  regionCode: string;
  address?: string;
  callerName: string;
  callerPhone: string;
  summary: string;
  urgent?: boolean;
  website?: string;
}

interface Receipt {
  code: string;
  unitName: string | null;
  unitPhone: string | null;
}

/** 网上求助: the public form (no login). The station of the resident's community calls back. */
export default function PublicTicketPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const errorText = useErrorText();
  const { token } = theme.useToken();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const send = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      setReceipt(
        await api<Receipt>('/api/public/tickets', {
          method: 'POST',
          quiet401: true,
          body: { ...v, address: v.address?.trim() || null, urgent: !!v.urgent, website: v.website ?? '' },
        }),
      );
    } catch (err) {
      if (!applyFieldErrors(form, err, t) || !(err instanceof ApiError)) setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f4', padding: 16 }} data-testid="public-ticket-page">
      <div style={{ maxWidth: 640, margin: '0 auto' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12 }}>
          <Typography.Text strong style={{ color: token.colorPrimary }}>
            {t('app.name')}
          </Typography.Text>
          <LanguageSwitch size="small" />
        </div>
        {receipt ? (
          <Card>
            <Result
              icon={<CheckCircleOutlined style={{ color: token.colorSuccess }} />}
              title={t('publicTicket.thanks')}
              subTitle={
                <>
                  <div>
                    {t('publicTicket.reference')}{' '}
                    <Typography.Text strong copyable data-testid="public-ticket-code">
                      {receipt.code}
                    </Typography.Text>
                  </div>
                  {receipt.unitName ? <div>{t('publicTicket.routedTo', { unit: receipt.unitName })}</div> : null}
                  {receipt.unitPhone ? <div>{t('publicTicket.unitPhone', { phone: receipt.unitPhone })}</div> : null}
                </>
              }
              extra={
                <Button
                  onClick={() => {
                    form.resetFields();
                    setReceipt(null);
                  }}
                >
                  {t('publicTicket.another')}
                </Button>
              }
              data-testid="public-ticket-done"
            />
          </Card>
        ) : (
          <Card title={t('publicTicket.title')}>
            <Typography.Paragraph type="secondary">{t('publicTicket.intro')}</Typography.Paragraph>
            {error ? (
              <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="public-ticket-error" />
            ) : null}
            <Form<Values> form={form} layout="vertical" onFinish={send} requiredMark={false}>
              <Form.Item
                name="category"
                label={t('publicTicket.what')}
                rules={[{ required: true, message: t('tickets.categoryRequired') }]}
              >
                <Radio.Group optionType="button" buttonStyle="solid">
                  {TICKET_CATEGORY_LABELS.map((c) => (
                    <Radio.Button key={c.value} value={c.value} style={{ marginBottom: 6 }}>
                      <span data-testid={`public-category-${c.value}`}>{label(TICKET_CATEGORY_LABELS, c.value)}</span>
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item name="regionCode" label={t('publicTicket.where')} rules={[{ required: true, message: t('tickets.areaRequired') }]}>
                <AreaSelect data-testid="public-area" />
              </Form.Item>
              <Form.Item name="address" label={t('tickets.address')}>
                <Input autoComplete="street-address" data-testid="public-address" />
              </Form.Item>
              <Form.Item
                name="summary"
                label={t('publicTicket.summary')}
                rules={[{ required: true, min: 5, message: t('publicTicket.summaryRequired') }]}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount data-testid="public-summary" />
              </Form.Item>
              <Form.Item name="callerName" label={t('publicTicket.name')} rules={[{ required: true, message: t('common.required') }]}>
                <Input autoComplete="name" data-testid="public-name" />
              </Form.Item>
              <Form.Item
                name="callerPhone"
                label={t('publicTicket.phone')}
                rules={[{ required: true, pattern: /^[0-9+\-() ]{5,30}$/, message: t('publicTicket.phoneInvalid') }]}
              >
                <Input inputMode="tel" autoComplete="tel" data-testid="public-phone" />
              </Form.Item>
              {/* Honeypot: people do not see it; a bot that fills it is thanked and nothing is stored. */}
              <div aria-hidden="true" style={{ position: 'absolute', left: -10000, width: 1, height: 1, overflow: 'hidden' }}>
                <Form.Item name="website" label="Website">
                  <Input tabIndex={-1} autoComplete="off" />
                </Form.Item>
              </div>
              <Form.Item name="urgent" valuePropName="checked">
                <Checkbox data-testid="public-urgent">{t('publicTicket.urgent')}</Checkbox>
              </Form.Item>
              <Button type="primary" htmlType="submit" block size="large" loading={sending} data-testid="public-submit">
                {t('publicTicket.send')}
              </Button>
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
                {t('publicTicket.emergency')}
              </Typography.Paragraph>
            </Form>
          </Card>
        )}
      </div>
    </div>
  );
}
