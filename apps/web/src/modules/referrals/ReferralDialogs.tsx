import { useQuery } from '@tanstack/react-query';
import {
  CONSENT_EXEMPTION_LABELS,
  CONSENT_METHOD_LABELS,
  NEED_TYPES,
  type ReferralAction,
  SEX_LABELS,
  UNIT_KIND_LABELS,
} from '@wushe/domain';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Select, Space, Steps, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Page } from '../../app/api';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { useDebounced } from '../../app/hooks';
import { applyFieldErrors, useErrorText, useLabel } from '../../app/ui';
import { useCaseList } from '../cases/queries';
import { useCommunities } from '../clients/queries';
import { type ReferralDetail, useReceivers, useReferralWrite } from './queries';

/** The consent fields (method; the reason when not needed; who recorded it; a note). */
export function ConsentFields({ prefix = 'consent' }: { prefix?: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const method = Form.useWatch([prefix, 'method']);
  return (
    <>
      <Form.Item name={[prefix, 'method']} label={t('referrals.consentMethod')} rules={[{ required: true }]}>
        <Radio.Group
          options={CONSENT_METHOD_LABELS.map((m) => ({ value: m.value, label: label(CONSENT_METHOD_LABELS, m.value) }))}
          data-testid="referral-consent-method"
        />
      </Form.Item>
      {method === 'not_needed' ? (
        <Form.Item name={[prefix, 'exemption']} label={t('referrals.consentExemption')} rules={[{ required: true }]}>
          <Radio.Group
            options={CONSENT_EXEMPTION_LABELS.map((m) => ({ value: m.value, label: label(CONSENT_EXEMPTION_LABELS, m.value) }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item name={[prefix, 'recordedBy']} label={t('referrals.consentRecordedBy')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={100} data-testid="referral-consent-by" />
      </Form.Item>
      <Form.Item name={[prefix, 'note']} label={t('referrals.consentNote')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </>
  );
}

interface NewValues {
  kind: 'referral' | 'transfer';
  toKind: 'unit' | 'operator' | 'department';
  receiverId?: string;
  department?: string;
  needId?: string;
  caseId?: string;
  summary: string;
  consent: { method: string; exemption?: string; recordedBy: string; note?: string };
}

/** 转介 / 移交 of a client: the hand-over and its receiver first, then the consent, then send. */
export function NewReferralModal({ client, open, onClose }: { client: { id: string; name: string }; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={t('referrals.newTitle', { name: client.name })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={640}
      data-testid="referral-new-modal"
    >
      {open ? <NewReferralForm client={client} onClose={onClose} /> : null}
    </Modal>
  );
}

function NewReferralForm({ client, onClose }: { client: { id: string; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { user } = useAuth();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<NewValues>();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const kind = Form.useWatch('kind', form) ?? 'referral';
  const toKind = Form.useWatch('toKind', form) ?? 'unit';
  const receivers = useReceivers(q, true);
  const needs = useNeeds(client.id);
  const cases = useCaseList({ clientId: client.id, open: 'true' });
  const send = useReferralWrite<Record<string, unknown>>(() => '/api/referrals');
  const receiverOptions = useMemo(() => {
    if (toKind === 'operator') return (receivers.data?.operators ?? []).map((o) => ({ value: o.id, label: o.name }));
    return (receivers.data?.units ?? [])
      .filter((u) => kind === 'referral' || ['station', 'office', 'point'].includes(u.kind))
      .map((u) => ({
        value: u.id,
        label: `${u.name}（${label(UNIT_KIND_LABELS, u.kind)}${u.parentName ? ` · ${u.parentName}` : ''}）`,
      }));
  }, [receivers.data, toKind, kind, label]);

  const submit = async () => {
    const v = form.getFieldsValue(true) as NewValues;
    setError(null);
    try {
      await send.mutateAsync({
        kind: v.kind,
        clientId: client.id,
        to:
          v.toKind === 'unit'
            ? { kind: 'unit', unitId: v.receiverId }
            : v.toKind === 'operator'
              ? { kind: 'operator', operatorId: v.receiverId }
              : { kind: 'department', name: v.department },
        needId: v.kind === 'referral' ? (v.needId ?? null) : null,
        caseId: v.kind === 'referral' ? (v.caseId ?? null) : null,
        summary: v.summary,
        consent: { ...v.consent, exemption: v.consent.method === 'not_needed' ? v.consent.exemption : null },
      });
      message.success(t('referrals.sentOk'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, t, { 'to.unitId': 'receiverId', 'to.operatorId': 'receiverId', 'to.name': 'department' })) setError(e);
    }
  };

  return (
    <>
      <Steps
        size="small"
        current={step}
        items={[{ title: t('referrals.chooseKind') }, { title: t('referrals.consent') }]}
        style={{ marginBottom: 16 }}
      />
      {error ? (
        <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} data-testid="referral-new-error" />
      ) : null}
      <Form<NewValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'referral', toKind: 'unit', consent: { method: 'verbal', recordedBy: user?.displayName ?? '' } }}
        preserve
      >
        <div style={{ display: step === 0 ? 'block' : 'none' }}>
          <Form.Item
            name="kind"
            label={t('referrals.chooseKind')}
            extra={kind === 'referral' ? t('referrals.kindReferralHelp') : t('referrals.kindTransferHelp')}
          >
            <Radio.Group
              optionType="button"
              onChange={(e) => e.target.value === 'transfer' && form.setFieldsValue({ toKind: 'unit', receiverId: undefined })}
              options={[
                { value: 'referral', label: <span data-testid="referral-kind-referral">{t('referrals.kindReferral')}</span> },
                { value: 'transfer', label: <span data-testid="referral-kind-transfer">{t('referrals.kindTransfer')}</span> },
              ]}
            />
          </Form.Item>
          {kind === 'referral' ? (
            <Form.Item name="toKind" label={t('referrals.toKind')}>
              <Radio.Group
                onChange={() => form.setFieldsValue({ receiverId: undefined })}
                options={[
                  { value: 'unit', label: t('referrals.toKindUnit') },
                  { value: 'operator', label: t('referrals.toOperator') },
                  { value: 'department', label: t('referrals.toKindDepartment') },
                ]}
              />
            </Form.Item>
          ) : null}
          {toKind === 'department' && kind === 'referral' ? (
            <Form.Item name="department" label={t('referrals.toDepartment')} rules={[{ required: step === 0, whitespace: true }]}>
              <Input maxLength={200} placeholder={t('referrals.toDepartmentPlaceholder')} data-testid="referral-department" />
            </Form.Item>
          ) : (
            <Form.Item
              name="receiverId"
              label={toKind === 'operator' && kind === 'referral' ? t('referrals.toOperator') : t('referrals.toUnit')}
              rules={[{ required: step === 0 }]}
            >
              <Select
                showSearch={{ filterOption: false, onSearch: setSearch }}
                options={receiverOptions}
                loading={receivers.isFetching}
                placeholder={t('referrals.unitSearch')}
                notFoundContent={t('common.noData')}
                data-testid="referral-receiver"
              />
            </Form.Item>
          )}
          {kind === 'referral' ? (
            <Space wrap style={{ width: '100%' }} styles={{ item: { minWidth: 240, flex: 1 } }}>
              <Form.Item name="needId" label={t('referrals.shareNeed')}>
                <Select
                  allowClear
                  options={(needs.data?.items ?? []).map((n) => ({
                    value: n.id,
                    label: `${label(NEED_TYPES, n.needType)}${n.description ? `：${n.description}` : ''}`,
                  }))}
                />
              </Form.Item>
              <Form.Item name="caseId" label={t('referrals.shareCase')}>
                <Select
                  allowClear
                  options={(cases.data?.pages.flatMap((p) => p.items) ?? []).map((k) => ({ value: k.id, label: k.title }))}
                />
              </Form.Item>
            </Space>
          ) : null}
          <Form.Item name="summary" label={t('referrals.summary')} rules={[{ required: step === 0, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={4000} placeholder={t('referrals.summaryPlaceholder')} data-testid="referral-summary" />
          </Form.Item>
        </div>
        {step === 1 ? (
          <>
            <Alert type="info" showIcon title={t('referrals.consentHelp')} style={{ marginBottom: 12 }} />
            <ConsentFields />
          </>
        ) : null}
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          {step === 1 ? (
            <Button onClick={() => setStep(0)}>{t('referrals.prev')}</Button>
          ) : (
            <Button onClick={onClose}>{t('common.cancel')}</Button>
          )}
          {step === 0 ? (
            <Button
              type="primary"
              onClick={() =>
                void form
                  .validateFields()
                  .then(() => setStep(1))
                  .catch(() => {})
              }
              data-testid="referral-next"
            >
              {t('referrals.next')}
            </Button>
          ) : (
            <Button
              type="primary"
              loading={send.isPending}
              onClick={() =>
                void form
                  .validateFields()
                  .then(submit)
                  .catch(() => {})
              }
              data-testid="referral-send"
            >
              {t('referrals.send')}
            </Button>
          )}
        </Space>
      </Form>
    </>
  );
}

function useNeeds(clientId: string) {
  return useQuery({
    queryKey: ['needs', 'client', clientId, 'open'],
    queryFn: ({ signal }) =>
      api<Page<{ id: string; needType: string; description: string | null; status: string }>>('/api/needs', {
        query: { clientId, limit: 50 },
        signal,
      }),
  });
}

/** The dialog of one action (decline, feedback, close, accepting a transfer or a transfer request). */
export function ActionModal({
  referral,
  action,
  onClose,
}: {
  referral: ReferralDetail;
  action: ReferralAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const write = useReferralWrite<Record<string, unknown>>(() => `/api/referrals/${referral.id}/actions`);
  const { user } = useAuth();
  const moving = action === 'accept' && referral.kind !== 'referral';
  const intoStation = moving && referral.toUnitKind === 'station';
  const communities = useCommunities(intoStation ? referral.toUnitRegionCode : null);
  if (!action) return null;
  const request = referral.kind === 'transfer_request' && action === 'accept';
  const transfer = referral.kind === 'transfer' && action === 'accept';
  const titles: Record<ReferralAction, string> = {
    accept: request ? t('referrals.acceptRequestTitle') : transfer ? t('referrals.acceptTransferTitle') : t('referrals.accept'),
    decline: t('referrals.decline'),
    start: t('referrals.start'),
    feedback: t('referrals.giveFeedback'),
    close: t('referrals.close'),
  };
  return (
    <FormModal<Record<string, unknown>>
      open
      title={titles[action]}
      onCancel={onClose}
      initialValues={request ? { consent: { method: 'written', recordedBy: user?.displayName ?? '' } } : {}}
      okText={titles[action]}
      data-testid="referral-action"
      onSubmit={async (v) => {
        const body: Record<string, unknown> = { action, version: referral.version, ...v };
        if (request) {
          const c = v.consent as { method: string; exemption?: string };
          body.consent = { ...c, exemption: c.method === 'not_needed' ? c.exemption : null };
        }
        await write.mutateAsync(body);
        message.success(t('referrals.done'));
        onClose();
      }}
    >
      {action === 'decline' ? (
        <Form.Item name="reason" label={t('referrals.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="referral-reason" />
        </Form.Item>
      ) : null}
      {action === 'feedback' ? (
        <Form.Item name="feedback" label={t('referrals.feedback')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={4} maxLength={4000} data-testid="referral-feedback" />
        </Form.Item>
      ) : null}
      {action === 'start' || action === 'close' ? (
        <Form.Item
          name="note"
          label={t('referrals.note')}
          rules={[{ required: action === 'close' && referral.status !== 'feedback', whitespace: true }]}
        >
          <Input.TextArea rows={3} maxLength={4000} data-testid="referral-note" />
        </Form.Item>
      ) : null}
      {request ? (
        <>
          <Alert type="info" showIcon title={t('referrals.consentHelp')} style={{ marginBottom: 12 }} />
          <ConsentFields />
        </>
      ) : null}
      {action === 'accept' && !request && !transfer ? <Typography.Paragraph>{referral.summary}</Typography.Paragraph> : null}
      {transfer ? <Typography.Paragraph type="secondary">{t('referrals.kindTransferHelp')}</Typography.Paragraph> : null}
      {intoStation ? (
        <Form.Item name="regionCode" label={t('referrals.regionCode')} extra={t('referrals.regionCodeHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={communities.isLoading}
            options={(communities.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
            data-testid="referral-region"
          />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}

/** 申请移交: find a client of another unit by the full ID number (a minimal card) and ask for it. */
export function TransferRequestModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [idNumber, setIdNumber] = useState('');
  const [found, setFound] = useState<{
    found: boolean;
    inScope: boolean;
    clientId: string | null;
    card: { maskedName: string; sex: 'male' | 'female' | null; birthYear: number | null; unitName: string | null } | null;
    pendingRequest: boolean;
  } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [looking, setLooking] = useState(false);
  const send = useReferralWrite<Record<string, unknown>>(() => '/api/referrals/transfer-requests');
  const close = () => {
    setFound(null);
    setIdNumber('');
    setError(null);
    onClose();
  };
  const lookup = async () => {
    setLooking(true);
    setError(null);
    setFound(null);
    try {
      setFound(await api('/api/referrals/lookup', { method: 'POST', body: { idNumber: idNumber.trim() } }));
    } catch (e) {
      setError(e);
    } finally {
      setLooking(false);
    }
  };
  return (
    <FormModal<{ summary: string }>
      open={open}
      title={t('referrals.requestTitle')}
      onCancel={close}
      okText={t('referrals.request')}
      data-testid="transfer-request"
      onSubmit={async (v) => {
        if (!found?.card || found.pendingRequest) throw new Error(t('referrals.notFound'));
        await send.mutateAsync({ idNumber: idNumber.trim(), summary: v.summary });
        message.success(t('referrals.requestSent'));
        close();
      }}
    >
      <Typography.Paragraph type="secondary">{t('referrals.requestHelp')}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
          placeholder={t('referrals.idNumber')}
          maxLength={18}
          onPressEnter={(e) => {
            e.preventDefault();
            void lookup();
          }}
          data-testid="transfer-request-id"
        />
        <Button onClick={() => void lookup()} loading={looking} data-testid="transfer-request-lookup">
          {t('referrals.lookup')}
        </Button>
      </Space.Compact>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      {found && !found.found ? <Alert type="warning" showIcon title={t('referrals.notFound')} style={{ marginBottom: 12 }} /> : null}
      {found?.inScope ? (
        <Alert
          type="info"
          showIcon
          title={t('referrals.inScope')}
          action={<Link to={`/clients/${found.clientId}`}>{t('referrals.openClient')}</Link>}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {found?.card ? (
        <>
          <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }} data-testid="transfer-request-card">
            <Descriptions.Item label={t('referrals.name')}>{found.card.maskedName}</Descriptions.Item>
            <Descriptions.Item label={t('referrals.sex')}>{label(SEX_LABELS, found.card.sex) || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('referrals.birthYear')}>{found.card.birthYear ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('referrals.unit')}>{found.card.unitName ?? '—'}</Descriptions.Item>
          </Descriptions>
          {found.pendingRequest ? <Alert type="warning" showIcon title={t('referrals.pending')} style={{ marginBottom: 12 }} /> : null}
          <Form.Item name="summary" label={t('referrals.requestReason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={4000} data-testid="transfer-request-reason" />
          </Form.Item>
        </>
      ) : null}
    </FormModal>
  );
}
