import { isStrongPassword, PASSWORD_MIN_LENGTH } from '@wushe/domain';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { LanguageSwitch } from '../../app/layout';
import { applyFieldErrors, useErrorText } from '../../app/ui';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change one's own password; `forced` when the account must change it before anything else. */
export default function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { user, changePassword, logout } = useAuth();
  const [form] = Form.useForm<PasswordForm>();
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorText = useErrorText();

  const onFinish = async (v: PasswordForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await changePassword(v.currentPassword, v.newPassword);
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      if (!forced) navigate('/');
    } catch (e) {
      if (!applyFieldErrors(form, e, t, { password: 'newPassword' })) setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const card = (
    <Card title={t('auth.changePassword')} style={{ maxWidth: 460, width: '100%' }} data-testid="change-password-card">
      {forced ? (
        <Alert
          type="warning"
          showIcon
          title={t('auth.mustChangePassword', { name: user?.displayName ?? '' })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {error ? (
        <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} data-testid="change-password-error" />
      ) : null}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('auth.currentPassword')}
          rules={[{ required: true, message: t('auth.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          extra={t('auth.passwordPolicy', { min: PASSWORD_MIN_LENGTH })}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            {
              validator: (_, value: string | undefined) =>
                !value || isStrongPassword(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordWeak', { min: PASSWORD_MIN_LENGTH }))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="change-password-submit">
            {t('common.save')}
          </Button>
          {forced ? (
            <Button onClick={() => void logout()} data-testid="forced-logout">
              {t('auth.signOut')}
            </Button>
          ) : (
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          )}
        </Space>
      </Form>
    </Card>
  );

  if (!forced) return card;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16, background: '#f5f5f4' }}>
      <div style={{ width: '100%', maxWidth: 460 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12 }}>
          <Typography.Text strong>{t('app.name')}</Typography.Text>
          <LanguageSwitch size="small" />
        </div>
        {card}
      </div>
    </div>
  );
}
