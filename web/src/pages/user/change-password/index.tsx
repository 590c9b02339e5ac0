import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../auth/AuthContext';
import { reportError } from '../../../api/errors';
import { changePassword } from './service';
import type { ChangePasswordForm } from './types';

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const { session, refresh } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ChangePasswordForm>();
  const mutation = useMutation({
    mutationFn: (v: ChangePasswordForm) => changePassword({ current_password: v.current_password, new_password: v.new_password }),
    onSuccess: async () => {
      void message.success(t('password.changed'));
      await refresh();
      navigate('/', { replace: true });
    },
    onError: (e) => reportError(e, form),
  });

  return (
    <Card title={t('password.title')} style={{ maxWidth: 520 }}>
      {session?.must_change_password && (
        <Alert type="warning" showIcon message={t('password.mustChange')} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item name="current_password" label={t('password.current')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="new_password"
          label={t('password.new')}
          rules={[
            { required: true, message: t('validation.required') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['new_password']}
          rules={[
            { required: true, message: t('validation.required') },
            ({ getFieldValue }) => ({
              validator: (_r, value: string | undefined) =>
                !value || value === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
