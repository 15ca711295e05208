import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { isValidCreditCode } from '@wushe/domain';
import { App, Button, Divider, Form, Input, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { FormModal } from '../../app/FormModal';
import { useDebounced } from '../../app/hooks';
import type { Operator } from '../../app/types';
import { useErrorText } from '../../app/ui';
import { useOperators } from './queries';

interface Props {
  value?: string | null;
  onChange?: (value: string | null) => void;
  initial: Operator | null;
  id?: string;
}

interface OperatorForm {
  name: string;
  creditCode?: string;
  contactName?: string;
  phone?: string;
}

/** Operator organization picker with remote search and a quick-create dialog. */
export function OperatorSelect({ value, onChange, initial, id }: Props) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const operators = useOperators(q);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Operator | null>(null);

  const options = useMemo(() => {
    const list = [...(operators.data?.items ?? [])];
    for (const extra of [initial, created]) if (extra && !list.some((o) => o.id === extra.id)) list.unshift(extra);
    return list.map((o) => ({ value: o.id, label: o.name }));
  }, [operators.data, initial, created]);

  const onCreate = async (v: OperatorForm) => {
    const op = await api<Operator>('/api/operators', {
      method: 'POST',
      body: {
        name: v.name.trim(),
        creditCode: v.creditCode?.trim().toUpperCase() || undefined,
        contactName: v.contactName?.trim() || undefined,
        phone: v.phone?.trim() || undefined,
      },
    });
    setCreated(op);
    await qc.invalidateQueries({ queryKey: ['operators'] });
    onChange?.(op.id);
    message.success(t('network.operatorCreated', { name: op.name }));
    setCreating(false);
  };

  return (
    <>
      <Select
        id={id}
        value={value ?? undefined}
        onChange={(v: string | undefined) => onChange?.(v ?? null)}
        allowClear
        showSearch={{ filterOption: false, onSearch: setSearch }}
        options={options}
        loading={operators.isFetching}
        placeholder={t('network.operatorPlaceholder')}
        notFoundContent={operators.isError ? errorText(operators.error) : t('common.noData')}
        data-testid="unit-operator"
        popupRender={(menu) => (
          <>
            {menu}
            <Divider style={{ margin: '4px 0' }} />
            <Button type="text" block icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="operator-quick-create">
              {t('network.newOperator')}
            </Button>
          </>
        )}
      />
      <FormModal<OperatorForm>
        open={creating}
        title={t('network.newOperator')}
        initialValues={{ name: search.trim() }}
        onCancel={() => setCreating(false)}
        onSubmit={onCreate}
        okText={t('common.create')}
        data-testid="operator-form"
      >
        <Form.Item
          name="name"
          label={t('network.operatorName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoFocus />
        </Form.Item>
        <Form.Item
          name="creditCode"
          label={t('network.creditCode')}
          rules={[
            {
              validator: (_, v: string | undefined) =>
                !v || isValidCreditCode(v.trim().toUpperCase())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('network.creditCodeInvalid'))),
            },
          ]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item name="contactName" label={t('network.contactName')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('network.phone')}>
          <Input inputMode="tel" />
        </Form.Item>
      </FormModal>
    </>
  );
}
