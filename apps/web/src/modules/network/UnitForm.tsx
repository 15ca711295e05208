import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  POST_AREA_LABELS,
  POST_KIND_LABELS,
  parentRegionCode,
  type RegionLevel,
  regionLevelOfCode,
  UNIT_FUNCTION_LABELS,
  UNIT_KIND_LABELS,
  UNIT_KIND_PARENTS,
  UNIT_KIND_REGION_LEVELS,
  UNIT_KINDS,
  UNIT_STATUS_LABELS,
  type UnitKind,
  type UnitStatus,
} from '@wushe/domain';
import { Alert, App, Button, Checkbox, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../app/api';
import type { Post, Unit, UnitDetail, UnitInput } from '../../app/types';
import { applyFieldErrors, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { OperatorSelect } from './OperatorSelect';
import { useChildren, useZones } from './queries';
import { RegionSelect } from './RegionSelect';

interface FormValues {
  name: string;
  kind: UnitKind;
  regionCode: string;
  status: UnitStatus;
  operatorId?: string | null;
  contract?: [Dayjs | null, Dayjs | null] | null;
  functions?: string[];
  posts?: Post[];
  zoneId?: string | null;
  address?: string;
  phone?: string;
  openingHours?: string;
}

export type UnitFormMode = { mode: 'create'; parent: Unit | UnitDetail | null } | { mode: 'edit'; unit: UnitDetail };

/** Kinds that may sit under a parent of the given kind (null = top level). */
export function childKinds(parentKind: UnitKind | null): UnitKind[] {
  return UNIT_KINDS.filter((k) => UNIT_KIND_PARENTS[k].includes(parentKind));
}

const PHONE = /^[0-9+\-() ]{5,20}$/;

export function UnitFormDrawer({
  target,
  onClose,
  onSaved,
}: {
  target: UnitFormMode | null;
  onClose: () => void;
  onSaved: (unit: UnitDetail) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const kind = Form.useWatch('kind', form);

  const editing = target?.mode === 'edit' ? target.unit : null;
  const parentId = target?.mode === 'create' ? (target.parent?.id ?? null) : (editing?.parentId ?? null);
  const parentKind: UnitKind | null = target?.mode === 'create' ? (target.parent?.kind ?? null) : (editing?.ancestors.at(-1)?.kind ?? null);
  const parentRegion = target?.mode === 'create' ? (target.parent?.regionCode ?? null) : null;
  const kinds = useMemo(() => (editing ? [editing.kind] : childKinds(parentKind)), [editing, parentKind]);

  // region search: among the children of the parent's region when that is the level the kind sits on,
  // otherwise by level (a centre under a provincial bureau sits two levels down)
  const baseRegion = editing ? parentRegionCode(editing.regionCode) : parentRegion;
  const allowedLevels = kind ? UNIT_KIND_REGION_LEVELS[kind] : [];
  const baseLevel = baseRegion ? regionLevelOfCode(baseRegion) : null;
  const regionParent = baseLevel && allowedLevels.includes((baseLevel + 1) as RegionLevel) ? baseRegion : null;
  const regionLevel = regionParent ? undefined : allowedLevels.length === 1 ? allowedLevels[0] : undefined;

  // offices: mark the communities of the station that already have one, and offer the station's zones
  const stationId = kind === 'office' || kind === 'point' ? parentId : null;
  const siblings = useChildren(stationId);
  const zones = useZones(stationId);
  const marks = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of siblings.data ?? [])
      if (u.id !== editing?.id && (u.kind === 'office' || u.kind === 'point')) m.set(u.regionCode, label(UNIT_KIND_LABELS, u.kind));
    return m;
  }, [siblings.data, editing, label]);

  useEffect(() => {
    if (!target) return;
    setError(null);
    form.resetFields();
    if (target.mode === 'edit') {
      const u = target.unit;
      form.setFieldsValue({
        name: u.name,
        kind: u.kind,
        regionCode: u.regionCode,
        status: u.status,
        operatorId: u.operatorId,
        contract:
          u.contractStart || u.contractEnd
            ? [u.contractStart ? dayjs(u.contractStart) : null, u.contractEnd ? dayjs(u.contractEnd) : null]
            : null,
        functions: u.functions,
        posts: u.posts,
        zoneId: u.zoneId,
        address: u.address ?? undefined,
        phone: u.phone ?? undefined,
        openingHours: u.openingHours ?? undefined,
      });
    } else {
      form.setFieldsValue({ kind: kinds[0], status: 'operating', functions: ['social_work'], posts: [] });
    }
  }, [target, form, kinds]);

  const onFinish = async (v: FormValues) => {
    setSaving(true);
    setError(null);
    const input: UnitInput = {
      name: v.name.trim(),
      kind: v.kind,
      regionCode: v.regionCode,
      parentId,
      status: v.status,
      operatorId: v.operatorId ?? null,
      contractStart: v.contract?.[0] ? v.contract[0].format('YYYY-MM-DD') : null,
      contractEnd: v.contract?.[1] ? v.contract[1].format('YYYY-MM-DD') : null,
      functions: v.functions ?? [],
      posts: (v.posts ?? [])
        .filter((p) => p?.kind && p.area)
        .map((p) => ({ kind: p.kind, area: p.area, headcount: Number(p.headcount ?? 0) })),
      zoneId: v.zoneId ?? null,
      address: v.address?.trim() || null,
      phone: v.phone?.trim() || null,
      openingHours: v.openingHours?.trim() || null,
    };
    try {
      const saved = editing
        ? await api<UnitDetail>(`/api/units/${editing.id}`, {
            method: 'PATCH',
            body: { ...input, kind: undefined, parentId: undefined, version: editing.version },
          })
        : await api<UnitDetail>('/api/units', { method: 'POST', body: input });
      await qc.invalidateQueries({ queryKey: ['units'] });
      await qc.invalidateQueries({ queryKey: ['coverage'] });
      message.success(editing ? t('network.saved') : t('network.created', { name: saved.name }));
      onSaved(saved);
    } catch (e) {
      const mapped = applyFieldErrors(form, e, t, { contractStart: 'contract', contractEnd: 'contract' });
      if (!mapped || (e instanceof ApiError && e.code !== 'validation_failed')) setError(e);
    } finally {
      setSaving(false);
    }
  };

  const showOperator = kind === 'station' || kind === 'centre';
  const title = editing
    ? t('network.editUnit', { name: editing.name })
    : target?.mode === 'create' && target.parent
      ? t('network.addChildOf', { name: target.parent.name })
      : t('network.addUnit');

  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      title={title}
      size={mobile ? '100%' : 640}
      destroyOnHidden
      data-testid="unit-form-drawer"
      forceRender={false}
    >
      {error ? (
        <Alert
          type="error"
          showIcon
          title={errorText(error)}
          description={error instanceof ApiError && error.code === 'stale_version' ? t('network.staleHint') : undefined}
          style={{ marginBottom: 16 }}
          data-testid="unit-form-error"
        />
      ) : null}
      <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} scrollToFirstError data-testid="unit-form">
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="name"
              label={t('network.name')}
              rules={[{ required: true, whitespace: true, message: t('network.nameRequired') }, { max: 100 }]}
            >
              <Input autoFocus data-testid="unit-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="kind" label={t('network.kind')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                disabled={!!editing || kinds.length < 2}
                options={kinds.map((k) => ({ value: k, label: label(UNIT_KIND_LABELS, k) }))}
                data-testid="unit-kind"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item
              name="regionCode"
              label={t('network.region')}
              rules={[{ required: true, message: t('network.regionRequired') }]}
              extra={stationId ? t('network.regionHintOffice') : undefined}
            >
              <RegionSelect
                parentCode={regionParent}
                level={regionLevel}
                marks={stationId ? marks : undefined}
                pending={!!stationId && siblings.isLoading}
                data-testid="unit-region"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="status" label={t('network.status')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                options={UNIT_STATUS_LABELS.map((s) => ({ value: s.value, label: label(UNIT_STATUS_LABELS, s.value) }))}
                data-testid="unit-status"
              />
            </Form.Item>
          </Col>
          {showOperator ? (
            <>
              <Col xs={24} md={14}>
                <Form.Item name="operatorId" label={t('network.operator')}>
                  <OperatorSelect initial={editing?.operator ?? null} />
                </Form.Item>
              </Col>
              <Col xs={24} md={10}>
                <Form.Item name="contract" label={t('network.contract')}>
                  <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} data-testid="unit-contract" />
                </Form.Item>
              </Col>
            </>
          ) : null}
          {stationId ? (
            <Col xs={24} md={14}>
              <Form.Item name="zoneId" label={t('network.zone')}>
                <Select
                  allowClear
                  loading={zones.isLoading}
                  options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))}
                  data-testid="unit-zone"
                />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Form.Item name="functions" label={t('network.functions')}>
          <Checkbox.Group options={UNIT_FUNCTION_LABELS.map((f) => ({ value: f.value, label: label(UNIT_FUNCTION_LABELS, f.value) }))} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('network.posts')}
        </Divider>
        <Form.List name="posts">
          {(fields, { add, remove }) => (
            <>
              {fields.map(({ key, name, ...rest }) => (
                <Space key={key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item {...rest} name={[name, 'kind']} rules={[{ required: true, message: t('common.required') }]}>
                    <Select
                      style={{ width: 150 }}
                      placeholder={t('network.postKind')}
                      options={POST_KIND_LABELS.map((p) => ({ value: p.value, label: label(POST_KIND_LABELS, p.value) }))}
                    />
                  </Form.Item>
                  <Form.Item {...rest} name={[name, 'area']} rules={[{ required: true, message: t('common.required') }]}>
                    <Select
                      style={{ width: 140 }}
                      placeholder={t('network.postArea')}
                      options={POST_AREA_LABELS.map((p) => ({ value: p.value, label: label(POST_AREA_LABELS, p.value) }))}
                    />
                  </Form.Item>
                  <Form.Item {...rest} name={[name, 'headcount']} rules={[{ required: true, message: t('common.required') }]}>
                    <InputNumber min={0} max={999} precision={0} placeholder={t('network.headcount')} style={{ width: 100 }} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button
                type="dashed"
                onClick={() => add({ kind: 'service', area: 'community_service', headcount: 1 })}
                icon={<PlusOutlined />}
                block
                style={{ marginBottom: 16 }}
              >
                {t('network.addPost')}
              </Button>
            </>
          )}
        </Form.List>
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="address" label={t('network.address')} rules={[{ max: 200 }]}>
              <Input data-testid="unit-address" />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="phone" label={t('network.phone')} rules={[{ pattern: PHONE, message: t('network.phoneInvalid') }]}>
              <Input inputMode="tel" data-testid="unit-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item name="openingHours" label={t('network.openingHours')} rules={[{ max: 100 }]}>
              <Input placeholder={t('network.openingHoursPlaceholder')} data-testid="unit-hours" />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="unit-form-submit">
            {t('common.save')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
