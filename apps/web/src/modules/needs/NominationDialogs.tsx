import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { parseIdNumber, RISK_LEVEL_LABELS, type RiskLevel } from '@wushe/domain';
import { Alert, App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { applyFieldErrors, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { ClientUnitSelect } from '../clients/ClientForm';
import { useCommunities } from '../clients/queries';
import { useCategories } from '../settings/queries';
import { useRegion } from './queries';
import type { Nomination } from './types';

const PHONE = /^[0-9+\-() ]{5,30}$/;

interface ReportValues {
  name: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  regionCode: string;
  situation: string;
  suggestedCategories?: string[];
}

/** The deployment's active categories, each option with a test id. */
function useCategoryOptions() {
  const { options } = useCategories();
  return options.map((c) => ({
    value: c.value,
    title: c.label,
    label: <span data-testid={`category-option-${c.value}`}>{c.label}</span>,
  }));
}

/** 上报: a person found in need, reported for the station to check → POST /api/nominations. */
export function ReportDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('nominations.report')}
      size={mobile ? '100%' : 560}
      destroyOnHidden
      data-testid="nomination-drawer"
    >
      {open ? <ReportBody onClose={onClose} /> : null}
    </Drawer>
  );
}

function ReportBody({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { user } = useAuth();
  const [form] = Form.useForm<ReportValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const categoryOptions = useCategoryOptions();
  // communities of the user's street: the unit's own region when it is the street, else the street above its community
  const ownRegion = useRegion(user?.unit?.regionCode);
  const streetCode = ownRegion.data ? (ownRegion.data.level >= 5 ? ownRegion.data.parentCode : ownRegion.data.code) : null;
  const communities = useCommunities(streetCode);
  const ownCommunity = ownRegion.data?.level === 5 ? ownRegion.data.code : undefined;
  const initialValues = useMemo(() => ({ suggestedCategories: [] as string[] }), []);
  // a community worker reports from their own community unless they pick another
  useEffect(() => {
    if (ownCommunity && !form.getFieldValue('regionCode')) form.setFieldsValue({ regionCode: ownCommunity });
  }, [ownCommunity, form]);

  const idRule = {
    validator: (_: unknown, v: string | undefined) => {
      if (!v?.trim()) return Promise.resolve();
      const parsed = parseIdNumber(v);
      return parsed.ok ? Promise.resolve() : Promise.reject(new Error(t(`clients.idError.${parsed.error}`)));
    },
  };

  const onFinish = async (v: ReportValues) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api<Nomination>('/api/nominations', {
        method: 'POST',
        body: {
          name: v.name.trim(),
          idNumber: v.idNumber?.trim() ? v.idNumber.trim().toUpperCase() : null,
          phone: v.phone?.trim() || null,
          address: v.address?.trim() || null,
          regionCode: v.regionCode,
          situation: v.situation.trim(),
          suggestedCategories: v.suggestedCategories ?? [],
        },
      });
      message.success(t('nominations.reported', { name: saved.name }));
      await qc.invalidateQueries({ queryKey: ['nominations'] });
      onClose();
    } catch (e) {
      const mapped = applyFieldErrors(form, e, t);
      if (!mapped || (e instanceof ApiError && e.code !== 'validation_failed')) setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {error ? (
        <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="nomination-form-error" />
      ) : null}
      <Form<ReportValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onFinish}
        scrollToFirstError
        data-testid="nomination-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('clients.name')}
              rules={[{ required: true, whitespace: true, message: t('clients.nameRequired') }, { max: 50 }]}
            >
              <Input autoFocus autoComplete="off" data-testid="nomination-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="idNumber" label={t('clients.idNumber')} rules={[idRule]} extra={t('nominations.idNumberHint')}>
              <Input maxLength={18} autoComplete="off" style={{ textTransform: 'uppercase' }} data-testid="nomination-id-number" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('clients.phone')} rules={[{ pattern: PHONE, message: t('clients.phoneInvalid') }]}>
              <Input inputMode="tel" autoComplete="off" data-testid="nomination-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="regionCode"
              label={t('clients.community')}
              rules={[{ required: true, message: t('clients.communityRequired') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'title' }}
                loading={ownRegion.isLoading || communities.isLoading}
                options={(communities.data?.items ?? []).map((r) => ({
                  value: r.code,
                  title: r.name,
                  label: <span data-testid={`community-option-${r.code}`}>{r.name}</span>,
                }))}
                placeholder={t('clients.communityPlaceholder')}
                notFoundContent={t('common.noData')}
                data-testid="nomination-community"
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('clients.address')} rules={[{ max: 200 }]}>
              <Input data-testid="nomination-address" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item
              name="situation"
              label={t('nominations.situation')}
              rules={[
                { required: true, whitespace: true, message: t('nominations.situationRequired') },
                { min: 2, message: t('nominations.situationRequired') },
                { max: 2000 },
              ]}
            >
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="nomination-situation" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="suggestedCategories" label={t('nominations.suggestedCategories')}>
              <Select
                mode="multiple"
                allowClear
                showSearch={{ optionFilterProp: 'title' }}
                options={categoryOptions}
                data-testid="nomination-categories"
              />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="nomination-submit">
            {t('nominations.submit')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}

interface AcceptValues {
  unitId: string;
  riskLevel: RiskLevel;
  categories?: { category: string; startDate: Dayjs | null }[];
  reason?: string;
}

/** 纳入: the station takes the person into the ledger; resolves with the new client's id. */
export function AcceptModal({
  nomination,
  onClose,
  onAccepted,
}: {
  nomination: Nomination | null;
  onClose: () => void;
  onAccepted: (n: Nomination) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { user } = useAuth();
  const categoryOptions = useCategoryOptions();
  const { isRetired } = useCategories();
  const myUnit = user?.unit && ['station', 'office', 'point'].includes(user.unit.kind) ? user.unit : null;
  return (
    <FormModal<AcceptValues>
      open={!!nomination}
      title={nomination ? t('nominations.acceptTitle', { name: nomination.name }) : ''}
      width={640}
      okText={t('nominations.accept')}
      initialValues={{
        unitId: myUnit?.id,
        riskLevel: 'general',
        // A suggested category retired since the report is not offered any more.
        categories: (nomination?.suggestedCategories ?? []).filter((c) => !isRetired(c)).map((c) => ({ category: c, startDate: dayjs() })),
      }}
      onCancel={onClose}
      onSubmit={async (v) => {
        if (!nomination) return;
        const saved = await api<Nomination>(`/api/nominations/${nomination.id}/accept`, {
          method: 'POST',
          body: {
            unitId: v.unitId,
            riskLevel: v.riskLevel,
            categories: (v.categories ?? [])
              .filter((c) => c?.category)
              .map((c) => ({ category: c.category, startDate: (c.startDate ?? dayjs()).format('YYYY-MM-DD') })),
            reason: v.reason?.trim() || null,
          },
        });
        message.success(t('nominations.accepted', { name: saved.name }));
        await qc.invalidateQueries({ queryKey: ['nominations'] });
        await qc.invalidateQueries({ queryKey: ['clients', 'list'] });
        onAccepted(saved);
      }}
      data-testid="nomination-accept"
    >
      <Form.Item name="unitId" label={t('clients.unit')} rules={[{ required: true, message: t('clients.unitRequired') }]}>
        <ClientUnitSelect initial={myUnit ? { id: myUnit.id, name: myUnit.name } : null} data-testid="accept-unit" />
      </Form.Item>
      <Form.Item name="riskLevel" label={t('clients.riskLevel')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          options={RISK_LEVEL_LABELS.map((r) => ({
            value: r.value,
            label: <span data-testid={`risk-option-${r.value}`}>{label(RISK_LEVEL_LABELS, r.value)}</span>,
          }))}
          data-testid="accept-risk"
        />
      </Form.Item>
      <Form.Item label={t('clients.categories')} style={{ marginBottom: 0 }}>
        <Form.List name="categories">
          {(fields, { add, remove }) => (
            <>
              {fields.map(({ key, name, ...rest }) => (
                <Space key={key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }} data-testid="accept-category-row">
                  <Form.Item {...rest} name={[name, 'category']} rules={[{ required: true, message: t('common.required') }]}>
                    <Select
                      style={{ width: 190 }}
                      placeholder={t('clients.category')}
                      showSearch={{ optionFilterProp: 'title' }}
                      options={categoryOptions}
                    />
                  </Form.Item>
                  <Form.Item {...rest} name={[name, 'startDate']} rules={[{ required: true, message: t('common.required') }]}>
                    <DatePicker placeholder={t('clients.startDate')} style={{ width: 150 }} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button
                type="dashed"
                onClick={() => add({ startDate: dayjs() })}
                icon={<PlusOutlined />}
                block
                style={{ marginBottom: 16 }}
                data-testid="accept-category-add"
              >
                {t('clients.addCategory')}
              </Button>
            </>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="reason" label={t('nominations.acceptNote')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="accept-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** 不纳入, with the reason the reporter will see. */
export function RejectModal({ nomination, onClose }: { nomination: Nomination | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return (
    <FormModal<{ reason: string }>
      open={!!nomination}
      title={nomination ? t('nominations.rejectTitle', { name: nomination.name }) : ''}
      okText={t('nominations.reject')}
      onCancel={onClose}
      onSubmit={async (v) => {
        if (!nomination) return;
        await api<Nomination>(`/api/nominations/${nomination.id}/reject`, { method: 'POST', body: { reason: v.reason.trim() } });
        message.success(t('nominations.rejected'));
        await qc.invalidateQueries({ queryKey: ['nominations'] });
        onClose();
      }}
      data-testid="nomination-reject"
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
        <Input.TextArea autoFocus rows={3} maxLength={500} showCount data-testid="reject-reason" />
      </Form.Item>
    </FormModal>
  );
}
