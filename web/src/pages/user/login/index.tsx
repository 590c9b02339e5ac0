import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, applyLanguage } from '../../../auth/AuthContext';
import { ApiError } from '../../../api/request';
import { reportError } from '../../../api/errors';
import { isLanguage } from '../../../i18n';
import { login } from './service';
import { splitDuration } from './lockout';
import type { LoginInput } from './types';

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const { session, signedIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginInput>();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const redirect = params.get('redirect');
  const target = redirect && redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/';

  if (session) return <Navigate to={session.must_change_password ? '/account/password' : target} replace />;

  const onFinish = async (values: LoginInput) => {
    setBusy(true);
    setMessage(null);
    try {
      const s = await login(values);
      signedIn(s);
      navigate(s.must_change_password ? '/account/password' : target, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setMessage(t('login.wrongCredentials'));
      } else if (e instanceof ApiError && e.status === 429) {
        if (e.retryAfterSeconds !== null && Number.isFinite(e.retryAfterSeconds)) {
          const d = splitDuration(e.retryAfterSeconds);
          setMessage(t('login.lockedFor', { minutes: d.minutes, seconds: d.seconds }));
        } else {
          setMessage(t('login.locked'));
        }
      } else if (!reportError(e, form)) {
        // notification shown
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <main>
        <Card style={{ width: 380 }}>
          <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Segmented
              size="small"
              aria-label={t('layout.language')}
              value={i18n.language}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en-US' },
              ]}
              onChange={(v) => {
                if (isLanguage(v)) applyLanguage(v);
              }}
            />
          </div>
          <Typography.Title level={3} style={{ textAlign: 'center' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {t('login.subtitle')}
          </Typography.Paragraph>
          {message && <Alert type="error" showIcon message={message} style={{ marginBottom: 16 }} role="alert" data-testid="login-error" />}
          <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false}>
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
      </main>
    </div>
  );
}
