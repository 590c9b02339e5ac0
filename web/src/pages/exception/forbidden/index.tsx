import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

export default function ForbiddenPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('exception.forbidden')}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('exception.backHome')}</Button>}
    />
  );
}
