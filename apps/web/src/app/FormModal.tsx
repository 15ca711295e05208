import { Alert, Button, Form, type FormInstance, Modal, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, useErrorText } from './ui';

interface Props<T> {
  open: boolean;
  title: ReactNode;
  /** Values the form starts from; read once each time the dialog opens. */
  initialValues?: Partial<T>;
  onCancel: () => void;
  /** Save; throw to keep the dialog open (server errors land on the fields they name). */
  onSubmit: (values: T) => Promise<void>;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  okText?: ReactNode;
  width?: number | string;
  rename?: Record<string, string>;
  'data-testid'?: string;
}

function Body<T extends object>({
  initialValues,
  onCancel,
  onSubmit,
  children,
  okText,
  rename,
  testId,
}: Omit<Props<T>, 'open' | 'title' | 'width'> & { testId?: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  // a fresh form every time the dialog opens: nothing typed can be wiped by a late reset
  const [form] = Form.useForm<T>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const onFinish = async (values: T) => {
    setSaving(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (e) {
      if (!applyFieldErrors(form, e, t, rename)) setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} data-testid="form-modal-error" /> : null}
      <Form<T> form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} data-testid={testId}>
        {typeof children === 'function' ? children(form) : children}
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="form-modal-submit">
            {okText ?? t('common.save')}
          </Button>
        </Space>
      </Form>
    </>
  );
}

/** A dialog holding one antd Form: Enter submits, errors show inline, the form is new on each opening. */
export function FormModal<T extends object>({ open, title, width, 'data-testid': testId, ...rest }: Props<T>) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={rest.onCancel}
      footer={null}
      destroyOnHidden
      width={width}
      data-testid={testId ? `${testId}-modal` : undefined}
    >
      {open ? <Body<T> {...rest} testId={testId} /> : null}
    </Modal>
  );
}
