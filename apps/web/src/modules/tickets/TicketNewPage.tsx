import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { TICKET_CATEGORY_LABELS, TICKET_CHANNEL_LABELS, TICKET_URGENCY_LABELS } from '@wushe/domain';
import { App, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../../app/api';
import { applyFieldErrors, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { AreaSelect } from './AreaSelect';
import { useHotlines } from './queries';
import type { Ticket } from './types';

interface Values {
  channel: string;
  hotlineId?: string;
  callerPhone?: string;
  callerName?: string;
  regionCode?: string;
  address?: string;
  category: string;
  urgency: string;
  summary: string;
}

/**
 * A call taken on the hotline (or a walk-in, a report…) as a ticket, quickly: phone, name, community,
 * what is needed, how urgent, a few words — Tab through, Ctrl+Enter (or Enter in a one-line field) saves.
 * The server routes it to the station of the community.
 */
export default function TicketNewPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const hotlines = useHotlines();
  const activeLines = (hotlines.data?.items ?? []).filter((h) => h.active);
  const channel = Form.useWatch('channel', form);
  // One line in use: the call came in on it.
  const onlyLine = activeLines.length === 1 ? activeLines[0].id : undefined;
  useEffect(() => {
    if (onlyLine && !form.getFieldValue('hotlineId')) form.setFieldValue('hotlineId', onlyLine);
  }, [onlyLine, form]);

  const save = async (v: Values) => {
    setSaving(true);
    try {
      const ticket = await api<Ticket>('/api/tickets', {
        method: 'POST',
        body: {
          channel: v.channel,
          hotlineId: v.channel === 'hotline' ? (v.hotlineId ?? null) : null,
          callerPhone: v.callerPhone?.trim() || null,
          callerName: v.callerName?.trim() || null,
          regionCode: v.regionCode ?? null,
          address: v.address?.trim() || null,
          category: v.category,
          urgency: v.urgency,
          summary: v.summary,
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['tickets'] });
      message.success(t('tickets.created', { code: ticket.code, unit: ticket.unitName ?? '' }));
      navigate(`/tickets/${ticket.id}`);
    } catch (err) {
      if (!applyFieldErrors(form, err, t) || !(err instanceof ApiError)) message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const submitOnCtrlEnter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
    }
  };

  return (
    <div data-testid="ticket-new-page">
      <Space style={{ marginBottom: 12 }}>
        <Link to="/tickets">
          <ArrowLeftOutlined /> {t('tickets.title')}
        </Link>
      </Space>
      <Card title={t('tickets.newCall')} styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={save}
          onKeyDown={submitOnCtrlEnter}
          initialValues={{ channel: 'hotline', urgency: 'normal', category: undefined }}
          requiredMark={false}
          style={{ maxWidth: 880 }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="channel" label={t('tickets.channel')}>
                <Select
                  options={TICKET_CHANNEL_LABELS.filter((c) => c.value !== 'online_form').map((c) => ({
                    value: c.value,
                    label: label(TICKET_CHANNEL_LABELS, c.value),
                  }))}
                  data-testid="ticket-channel"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              {channel === 'hotline' && activeLines.length > 0 ? (
                <Form.Item name="hotlineId" label={t('tickets.hotline')}>
                  <Select
                    allowClear
                    options={activeLines.map((h) => ({ value: h.id, label: `${h.name} ${h.number}` }))}
                    data-testid="ticket-hotline"
                  />
                </Form.Item>
              ) : null}
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="callerPhone" label={t('tickets.callerPhone')}>
                <Input autoFocus inputMode="tel" autoComplete="off" data-testid="ticket-caller-phone" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="callerName" label={t('tickets.callerName')}>
                <Input autoComplete="off" data-testid="ticket-caller-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="regionCode"
                label={t('tickets.area')}
                rules={[{ required: true, message: t('tickets.areaRequired') }]}
                extra={t('tickets.areaHelp')}
              >
                <AreaSelect data-testid="ticket-area" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="address" label={t('tickets.address')}>
                <Input autoComplete="off" data-testid="ticket-address" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="category" label={t('tickets.category')} rules={[{ required: true, message: t('tickets.categoryRequired') }]}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="ticket-category">
              {TICKET_CATEGORY_LABELS.map((c) => (
                <Radio.Button key={c.value} value={c.value} style={{ marginBottom: 6 }}>
                  <span data-testid={`ticket-category-${c.value}`}>{label(TICKET_CATEGORY_LABELS, c.value)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="urgency" label={t('tickets.urgency')}>
            <Radio.Group optionType="button" data-testid="ticket-urgency">
              {TICKET_URGENCY_LABELS.map((c) => (
                <Radio.Button key={c.value} value={c.value}>
                  <span data-testid={`ticket-urgency-${c.value}`}>{label(TICKET_URGENCY_LABELS, c.value)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="summary"
            label={t('tickets.summary')}
            rules={[{ required: true, min: 2, message: t('tickets.summaryRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} data-testid="ticket-summary" />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="ticket-save">
              {t('tickets.save')}
            </Button>
            <Typography.Text type="secondary">{t('tickets.ctrlEnter')}</Typography.Text>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
