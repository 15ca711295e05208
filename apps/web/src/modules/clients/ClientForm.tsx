import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  CHILD_IN_DIFFICULTY_SUBTYPES,
  HOUSEHOLD_RELATIONS,
  parseIdNumber,
  RISK_LEVEL_LABELS,
  type RiskLevel,
  SEX_LABELS,
  UNIT_KIND_LABELS,
} from '@wushe/domain';
import { Alert, App, AutoComplete, Button, Col, DatePicker, Divider, Drawer, Form, Input, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useDebounced } from '../../app/hooks';
import { applyFieldErrors, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { useUnit } from '../network/queries';
import { useCategories } from '../settings/queries';
import { useClientUnits, useCommunities, useWorkers } from './queries';
import type { ClientDetail } from './types';

interface FormValues {
  name: string;
  idNumber?: string;
  sex?: 'male' | 'female' | null;
  birthDate?: Dayjs | null;
  phone?: string;
  address?: string;
  unitId: string;
  regionCode?: string | null;
  riskLevel: RiskLevel;
  categories?: { category: string; subtype?: string | null; startDate: Dayjs | null }[];
  contacts?: { name: string; relation: string; phone?: string }[];
  responsibleUserId?: string | null;
  tags?: string[];
}

const PHONE = /^[0-9+\-() ]{5,30}$/;

/** Unit picker limited to the kinds a client can belong to (station, office, point) in the user's scope. */
export function ClientUnitSelect({
  value,
  onChange,
  initial,
  id,
  allowClear,
  placeholder,
  style,
  'data-testid': testId,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  initial?: { id: string; name: string } | null;
  id?: string;
  allowClear?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const units = useClientUnits(q);
  const options = useMemo(() => {
    const list = (units.data ?? []).map((u) => ({
      value: u.id,
      label: (
        <span data-testid={`unit-option-${u.code}`} data-unit-name={u.name}>
          {u.name}（{label(UNIT_KIND_LABELS, u.kind)}）
        </span>
      ),
      title: u.name,
    }));
    if (initial && !list.some((o) => o.value === initial.id))
      list.unshift({ value: initial.id, label: <span>{initial.name}</span>, title: initial.name });
    return list;
  }, [units.data, initial, label]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      allowClear={allowClear}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={units.isFetching}
      placeholder={placeholder ?? t('clients.unitPlaceholder')}
      notFoundContent={t('common.noData')}
      style={style}
      data-testid={testId}
    />
  );
}

/** Responsible worker: users of the scope for those who may list users, otherwise oneself. */
function WorkerSelect({
  value,
  onChange,
  id,
  initial,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  id?: string;
  initial?: { id: string; name: string } | null;
}) {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  const canList = can('users.read');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const workers = useWorkers(q, canList);
  const options = useMemo(() => {
    const list = canList
      ? (workers.data?.items ?? [])
          .filter((w) => w.status === 'active')
          .map((w) => ({ value: w.id, label: w.unitName ? `${w.displayName}（${w.unitName}）` : w.displayName }))
      : [];
    for (const extra of [initial, user ? { id: user.id, name: user.displayName } : null])
      if (extra && !list.some((o) => o.value === extra.id)) list.push({ value: extra.id, label: extra.name });
    return list;
  }, [canList, workers.data, initial, user]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      allowClear
      showSearch={canList ? { filterOption: false, onSearch: setSearch } : undefined}
      options={options}
      loading={workers.isFetching}
      placeholder={t('clients.responsiblePlaceholder')}
      data-testid="client-responsible"
    />
  );
}

export type ClientFormTarget = { mode: 'create' } | { mode: 'edit'; client: ClientDetail };

/** Drawer to register a client or change one (with its version: a concurrent change answers 409). */
export function ClientFormDrawer({
  target,
  onClose,
  onSaved,
}: {
  target: ClientFormTarget | null;
  onClose: () => void;
  onSaved: (c: ClientDetail) => void;
}) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const editing = target?.mode === 'edit' ? target.client : null;
  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      title={editing ? t('clients.editTitle', { name: editing.name }) : t('clients.create')}
      size={mobile ? '100%' : 720}
      destroyOnHidden
      data-testid="client-form-drawer"
    >
      {target ? <ClientFormBody target={target} onClose={onClose} onSaved={onSaved} /> : null}
    </Drawer>
  );
}

function ClientFormBody({
  target,
  onClose,
  onSaved,
}: {
  target: ClientFormTarget;
  onClose: () => void;
  onSaved: (c: ClientDetail) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const categories = useCategories();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { user } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const editing = target.mode === 'edit' ? target.client : null;
  const unitId = Form.useWatch('unitId', form);
  const unit = useUnit(unitId);
  const isStation = unit.data?.kind === 'station';
  const communities = useCommunities(isStation ? unit.data?.regionCode : null);

  const myUnit = user?.unit && ['station', 'office', 'point'].includes(user.unit.kind) ? user.unit : null;
  const initialValues: Partial<FormValues> = useMemo(
    () =>
      editing
        ? {
            name: editing.name,
            sex: editing.sex,
            birthDate: editing.birthDate ? dayjs(editing.birthDate) : null,
            address: editing.address ?? undefined,
            unitId: editing.unitId,
            regionCode: editing.regionCode,
            riskLevel: editing.riskLevel,
            responsibleUserId: editing.responsibleUserId,
            tags: editing.tags,
          }
        : {
            unitId: myUnit?.id,
            riskLevel: 'general',
            responsibleUserId: user?.id,
            categories: [],
            contacts: [],
            tags: [],
          },
    [editing, myUnit, user],
  );

  const idRule = {
    validator: (_: unknown, v: string | undefined) => {
      if (!v?.trim()) return Promise.resolve();
      const parsed = parseIdNumber(v);
      return parsed.ok ? Promise.resolve() : Promise.reject(new Error(t(`clients.idError.${parsed.error}`)));
    },
  };

  const onValuesChange = (changed: Partial<FormValues>) => {
    if (typeof changed.idNumber === 'string') {
      const parsed = parseIdNumber(changed.idNumber);
      if (parsed.ok) form.setFieldsValue({ sex: parsed.info.sex, birthDate: dayjs(parsed.info.birthDate) });
    }
    if ('unitId' in changed) form.setFieldsValue({ regionCode: undefined });
  };

  const onFinish = async (v: FormValues) => {
    setSaving(true);
    setError(null);
    const body = {
      name: v.name.trim(),
      idNumber: v.idNumber?.trim() ? v.idNumber.trim().toUpperCase() : null,
      sex: v.sex ?? null,
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null,
      phone: v.phone?.trim() || null,
      address: v.address?.trim() || null,
      unitId: v.unitId,
      regionCode: isStation ? (v.regionCode ?? undefined) : undefined,
      riskLevel: v.riskLevel,
      tags: v.tags ?? [],
      responsibleUserId: v.responsibleUserId ?? null,
    };
    try {
      let saved: ClientDetail;
      if (editing) {
        // send only what changed; blank ID number and phone keep the stored (masked) values
        const patch: Record<string, unknown> = { version: editing.version };
        if (body.name !== editing.name) patch.name = body.name;
        if (body.idNumber) patch.idNumber = body.idNumber;
        if (body.phone) patch.phone = body.phone;
        if (body.sex !== editing.sex) patch.sex = body.sex;
        if (body.birthDate !== editing.birthDate) patch.birthDate = body.birthDate;
        if (body.address !== editing.address) patch.address = body.address;
        if (body.unitId !== editing.unitId) patch.unitId = body.unitId;
        if (body.regionCode && body.regionCode !== editing.regionCode) patch.regionCode = body.regionCode;
        if (body.riskLevel !== editing.riskLevel) patch.riskLevel = body.riskLevel;
        if (JSON.stringify(body.tags) !== JSON.stringify(editing.tags)) patch.tags = body.tags;
        if (body.responsibleUserId !== editing.responsibleUserId) patch.responsibleUserId = body.responsibleUserId;
        saved = await api<ClientDetail>(`/api/clients/${editing.id}`, { method: 'PATCH', body: patch });
        message.success(t('clients.saved'));
      } else {
        saved = await api<ClientDetail>('/api/clients', {
          method: 'POST',
          body: {
            ...body,
            categories: (v.categories ?? [])
              .filter((c) => c?.category)
              .map((c) => ({
                category: c.category,
                subtype: c.subtype ?? null,
                startDate: (c.startDate ?? dayjs()).format('YYYY-MM-DD'),
              })),
            contacts: (v.contacts ?? [])
              .filter((c) => c?.name)
              .map((c) => ({
                name: c.name.trim(),
                relation: c.relation?.trim() || t('clients.relationOther'),
                phone: c.phone?.trim() || null,
              })),
          },
        });
        message.success(t('clients.created', { name: saved.name }));
      }
      qc.setQueryData(['clients', 'detail', saved.id], saved);
      await qc.invalidateQueries({ queryKey: ['clients', 'list'] });
      await qc.invalidateQueries({ queryKey: ['visits', 'overdue'] });
      onSaved(saved);
    } catch (e) {
      const mapped = applyFieldErrors(form, e, t);
      if (!mapped || (e instanceof ApiError && e.code !== 'validation_failed')) setError(e);
    } finally {
      setSaving(false);
    }
  };

  const stale = error instanceof ApiError && error.code === 'stale_version';
  const reload = async () => {
    if (!editing) return;
    await qc.invalidateQueries({ queryKey: ['clients', 'detail', editing.id] });
    onClose();
  };

  return (
    <>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={stale ? t('clients.staleTitle') : errorText(error)}
          description={stale ? t('clients.staleHint') : undefined}
          action={
            stale ? (
              <Button size="small" onClick={() => void reload()} data-testid="client-form-reload">
                {t('common.reload')}
              </Button>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
          data-testid="client-form-error"
        />
      ) : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={onValuesChange}
        onFinish={onFinish}
        scrollToFirstError
        data-testid="client-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('clients.name')}
              rules={[{ required: true, whitespace: true, message: t('clients.nameRequired') }, { max: 50 }]}
            >
              <Input autoFocus autoComplete="off" data-testid="client-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="idNumber"
              label={t('clients.idNumber')}
              rules={[idRule]}
              extra={editing ? t('clients.keepBlankHint', { value: editing.idNumber ?? '—' }) : t('clients.idNumberHint')}
              validateFirst
            >
              <Input maxLength={18} autoComplete="off" style={{ textTransform: 'uppercase' }} data-testid="client-id-number-input" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="sex" label={t('clients.sex')}>
              <Select
                allowClear
                options={SEX_LABELS.map((s) => ({ value: s.value, label: label(SEX_LABELS, s.value) }))}
                data-testid="client-sex"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="birthDate" label={t('clients.birthDate')}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} data-testid="client-birth-date" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="phone"
              label={t('clients.phone')}
              rules={[{ pattern: PHONE, message: t('clients.phoneInvalid') }]}
              extra={editing ? t('clients.keepBlankHint', { value: editing.phone ?? '—' }) : undefined}
            >
              <Input inputMode="tel" autoComplete="off" data-testid="client-phone" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('clients.address')} rules={[{ max: 200 }]}>
              <Input data-testid="client-address" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('clients.unit')} rules={[{ required: true, message: t('clients.unitRequired') }]}>
              <ClientUnitSelect
                initial={
                  editing
                    ? { id: editing.unitId, name: editing.unitName ?? editing.unitId }
                    : myUnit
                      ? { id: myUnit.id, name: myUnit.name }
                      : null
                }
                data-testid="client-unit"
              />
            </Form.Item>
          </Col>
          {isStation ? (
            <Col xs={24} md={12}>
              <Form.Item
                name="regionCode"
                label={t('clients.community')}
                rules={[{ required: true, message: t('clients.communityRequired') }]}
                extra={t('clients.communityHint')}
              >
                <Select
                  showSearch={{ optionFilterProp: 'title' }}
                  loading={communities.isLoading}
                  options={(communities.data?.items ?? []).map((r) => ({
                    value: r.code,
                    title: r.name,
                    label: <span data-testid={`community-option-${r.code}`}>{r.name}</span>,
                  }))}
                  placeholder={t('clients.communityPlaceholder')}
                  data-testid="client-community"
                />
              </Form.Item>
            </Col>
          ) : null}
          <Col xs={24} md={12}>
            <Form.Item name="riskLevel" label={t('clients.riskLevel')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                options={RISK_LEVEL_LABELS.map((r) => ({
                  value: r.value,
                  label: <span data-testid={`risk-option-${r.value}`}>{label(RISK_LEVEL_LABELS, r.value)}</span>,
                }))}
                data-testid="client-risk"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="responsibleUserId" label={t('clients.responsible')}>
              <WorkerSelect
                initial={editing?.responsibleUserId ? { id: editing.responsibleUserId, name: editing.responsibleName ?? '' } : null}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="tags" label={t('clients.tags')} extra={t('clients.tagsHint')}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} data-testid="client-tags" />
            </Form.Item>
          </Col>
        </Row>
        {editing ? null : (
          <>
            <Divider titlePlacement="start" plain>
              {t('clients.categories')}
            </Divider>
            <Form.List name="categories">
              {(fields, { add, remove }) => (
                <>
                  {fields.map(({ key, name, ...rest }) => (
                    <Space key={key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }} data-testid="category-row">
                      <Form.Item {...rest} name={[name, 'category']} rules={[{ required: true, message: t('common.required') }]}>
                        <Select
                          style={{ width: 190 }}
                          placeholder={t('clients.category')}
                          showSearch={{ optionFilterProp: 'title' }}
                          options={categories.options.map((c) => ({
                            value: c.value,
                            title: c.label,
                            label: <span data-testid={`category-option-${c.value}`}>{c.label}</span>,
                          }))}
                          data-testid="category-select"
                        />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() =>
                          form.getFieldValue(['categories', name, 'category']) === 'child_in_difficulty' ? (
                            <Form.Item {...rest} name={[name, 'subtype']}>
                              <Select
                                allowClear
                                style={{ width: 200 }}
                                placeholder={t('clients.subtype')}
                                options={CHILD_IN_DIFFICULTY_SUBTYPES.map((s) => ({
                                  value: s.value,
                                  label: label(CHILD_IN_DIFFICULTY_SUBTYPES, s.value),
                                }))}
                              />
                            </Form.Item>
                          ) : null
                        }
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
                    data-testid="category-add"
                  >
                    {t('clients.addCategory')}
                  </Button>
                </>
              )}
            </Form.List>
            <Divider titlePlacement="start" plain>
              {t('clients.contacts')}
            </Divider>
            <Form.List name="contacts">
              {(fields, { add, remove }) => (
                <>
                  {fields.map(({ key, name, ...rest }) => (
                    <Space key={key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                      <Form.Item
                        {...rest}
                        name={[name, 'name']}
                        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}
                      >
                        <Input placeholder={t('clients.contactName')} style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item
                        {...rest}
                        name={[name, 'relation']}
                        rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 20 }]}
                      >
                        <AutoComplete
                          style={{ width: 130 }}
                          placeholder={t('clients.relation')}
                          options={HOUSEHOLD_RELATIONS.map((r) => ({ value: label(HOUSEHOLD_RELATIONS, r.value) }))}
                        />
                      </Form.Item>
                      <Form.Item {...rest} name={[name, 'phone']} rules={[{ pattern: PHONE, message: t('clients.phoneInvalid') }]}>
                        <Input placeholder={t('clients.phone')} inputMode="tel" style={{ width: 150 }} />
                      </Form.Item>
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(name)} aria-label={t('common.remove')} />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    onClick={() => add()}
                    icon={<PlusOutlined />}
                    block
                    style={{ marginBottom: 16 }}
                    data-testid="contact-add"
                  >
                    {t('clients.addContact')}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="client-form-submit">
            {t('common.save')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
