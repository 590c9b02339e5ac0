import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Descriptions, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, SafetyOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/request';
import { useAuth } from '../../../auth/AuthContext';
import FieldValue from '../../../components/FieldValue';
import { useDepartments } from '../../../services/directory';
import { activeFields, fieldMap, useEntity } from '../../../services/entity';
import { useFormat } from '../../../services/formatting';
import { forgetCustomer, recordCustomerView } from '../../../services/recent';
import ClassifyModal from './components/ClassifyModal';
import DeleteModal from './components/DeleteModal';
import FollowUpsTab from './components/FollowUpsTab';
import ProfileTab from './components/ProfileTab';
import ReassignModal from './components/ReassignModal';
import RelationsTab from './components/RelationsTab';
import TimelineTab from './components/TimelineTab';
import { getCustomer } from './service';

type Dialog = 'reassign' | 'classify' | 'delete' | null;

export default function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const navigate = useNavigate();
  const format = useFormat();
  const [dialog, setDialog] = useState<Dialog>(null);
  const entity = useEntity('customer');
  const fields = useMemo(() => fieldMap(entity.data ? { ...entity.data, fields: activeFields(entity.data) } : undefined), [entity.data]);
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => getCustomer(id), meta: { quietStatuses: [404] }, retry: false });
  const departments = useDepartments();
  const gone = customer.error instanceof ApiError && customer.error.status === 404;
  const userId = user?.id;

  // The workbench lists what was opened last; a customer that is gone leaves that list.
  const opened = customer.data;
  useEffect(() => {
    if (userId === undefined) return;
    if (opened) recordCustomerView(userId, { id: opened.id, name: opened.name, type: opened.type });
    else if (gone) forgetCustomer(userId, Number(id));
  }, [userId, opened?.id, opened?.name, opened?.type, gone, id]);

  if (gone) {
    return <Result status="404" title={t('customers.notFound')} extra={<Button onClick={() => navigate('/customers')}>{t('customers.backToList')}</Button>} />;
  }
  if (!customer.data || !entity.data) return <Spin />;
  const c = customer.data;
  const enterprise = c.type === 'enterprise';
  const dept = c.department_name ?? departments.data?.items.find((d) => d.id === c.department_id)?.name;
  const fact = (name: string) => <FieldValue field={fields.get(name)} value={c[name]} />;
  // customer.classify lets a risk officer or manager set the risk level and status only; a
  // writer does that on the edit page with everything else.
  const classifyOnly = can('customer.classify') && !can('customer.write');
  const capital = enterprise ? c.registered_capital : c.monthly_income;
  const capitalField = fields.get(enterprise ? 'registered_capital' : 'monthly_income');

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
          <Space wrap>
            {can('customer.reassign') && (
              <Button icon={<SwapOutlined />} onClick={() => setDialog('reassign')}>
                {t('customers.reassign')}
              </Button>
            )}
            {classifyOnly && (
              <Button icon={<SafetyOutlined />} onClick={() => setDialog('classify')}>
                {t('customers.classify')}
              </Button>
            )}
            {can('customer.write') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/customers/${id}/edit`)}>
                {t('common.edit')}
              </Button>
            )}
            {can('customer.delete') && (
              <Button danger icon={<DeleteOutlined />} onClick={() => setDialog('delete')}>
                {t('common.delete')}
              </Button>
            )}
          </Space>
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t('customers.facts.status')}>{fact('status')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.phone')}>
            <span data-testid="header-phone">{fact(enterprise ? 'contact_phone' : 'phone')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={enterprise ? t('customers.facts.creditCode') : t('customers.facts.idNumber')}>
            <span data-testid="header-id">{fact(enterprise ? 'credit_code' : 'id_number')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.channel')}>{fact('source_channel')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.owner')}>
            <span data-testid="header-owner">
              {typeof c.owner_id === 'number' ? (c.owner_id === user?.id ? `${user.display_name} (${t('customers.facts.me')})` : (c.owner_name ?? `#${c.owner_id}`)) : '—'}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.facts.department')}>{dept ?? '—'}</Descriptions.Item>
          {capitalField && (
            <Descriptions.Item label={enterprise ? t('customers.facts.registeredCapital') : t('customers.facts.monthlyIncome')}>
              <span data-testid="header-amount">{typeof capital === 'string' && capital !== '' ? (enterprise ? format.moneySummary(capital) : format.money(capital)) : '—'}</span>
            </Descriptions.Item>
          )}
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
      <ReassignModal customer={c} open={dialog === 'reassign'} onClose={() => setDialog(null)} />
      <ClassifyModal customer={c} entity={entity.data} open={dialog === 'classify'} onClose={() => setDialog(null)} />
      <DeleteModal customer={c} open={dialog === 'delete'} onClose={() => setDialog(null)} />
    </Space>
  );
}
