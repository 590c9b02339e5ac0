import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/request';
import { useAuth } from '../../../auth/AuthContext';
import FieldValue from '../../../components/FieldValue';
import { useDepartments } from '../../../services/directory';
import { fieldMap, useEntity } from '../../../services/entity';
import FollowUpsTab from './components/FollowUpsTab';
import ProfileTab from './components/ProfileTab';
import ReassignModal from './components/ReassignModal';
import RelationsTab from './components/RelationsTab';
import TimelineTab from './components/TimelineTab';
import { getCustomer } from './service';

export default function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const navigate = useNavigate();
  const [reassignOpen, setReassignOpen] = useState(false);
  const entity = useEntity('customer');
  const fields = useMemo(() => fieldMap(entity.data), [entity.data]);
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => getCustomer(id), meta: { quietStatuses: [404] }, retry: false });
  const departments = useDepartments();

  if (customer.error instanceof ApiError && customer.error.status === 404) {
    return <Result status="404" title={t('customers.notFound')} extra={<Button onClick={() => navigate('/customers')}>{t('customers.backToList')}</Button>} />;
  }
  if (!customer.data || !entity.data) return <Spin />;
  const c = customer.data;
  const dept = departments.data?.items.find((d) => d.id === c.department_id)?.name;
  const fact = (name: string) => <FieldValue field={fields.get(name)} value={c[name]} />;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start" wrap>
          <Space direction="vertical" size={4}>
            <Space>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
                {c.name}
              </Typography.Title>
              <Tag>{t(`customers.type.${c.type}`)}</Tag>
              {fact('risk_level')}
            </Space>
          </Space>
          <Space>
            {can('customer.reassign') && (
              <Button icon={<SwapOutlined />} onClick={() => setReassignOpen(true)}>
                {t('customers.reassign')}
              </Button>
            )}
            {can('customer.write') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/customers/${id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
          </Space>
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('customers.facts.status')}>{fact('status')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.phone')}>{fact(c.type === 'enterprise' ? 'contact_phone' : 'phone')}</Descriptions.Item>
          <Descriptions.Item label={c.type === 'enterprise' ? t('customers.facts.creditCode') : t('customers.facts.idNumber')}>
            {fact(c.type === 'enterprise' ? 'credit_code' : 'id_number')}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.channel')}>{fact('source_channel')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.owner')}>{typeof c.owner_id === 'number' ? (c.owner_id === user?.id ? `${user.display_name} (${t('customers.facts.me')})` : (c.owner_name ?? `#${c.owner_id}`)) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.department')}>{dept ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.tags')}>{fact('tags')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.created')}>{fact('created_at')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'profile', label: t('customers.tabs.profile'), children: <ProfileTab customer={c} entity={entity.data} canUnmask={can('pii.unmask')} /> },
            { key: 'relations', label: t('customers.tabs.relations'), children: <RelationsTab customerId={id} canWrite={can('customer.write')} /> },
            { key: 'followups', label: t('customers.tabs.followups'), children: <FollowUpsTab customerId={id} canWrite={can('followup.write')} /> },
            { key: 'timeline', label: t('customers.tabs.timeline'), children: <TimelineTab customerId={id} entity={entity.data} /> },
          ]}
          destroyOnHidden
        />
      </Card>
      <ReassignModal customer={c} open={reassignOpen} onClose={() => setReassignOpen(false)} />
    </Space>
  );
}
