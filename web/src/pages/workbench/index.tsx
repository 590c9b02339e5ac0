import { useMemo } from 'react';
import { Button, Card, Col, Empty, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { useFormat } from '../../services/formatting';
import { recentCustomers } from '../../services/recent';
import TodoCard from './components/TodoCard';
import { engineSections, fetchWorkbench, quickActions } from './service';

/** The page every role lands on: their numbers, their last customers, what they may start, what is coming. */
export default function WorkbenchPage() {
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const navigate = useNavigate();
  const format = useFormat();
  const readsCustomers = can('customer.read');
  const workbench = useQuery({ queryKey: ['workbench'], queryFn: fetchWorkbench, staleTime: 30_000 });
  const recent = useMemo(() => (user && readsCustomers ? recentCustomers(user.id) : []), [user, readsCustomers]);
  const actions = quickActions(can);
  const w = workbench.data;

  const counts = [
    { key: 'my_customers', title: t('workbench.myCustomers'), value: w?.my_customers, to: '/customers' },
    { key: 'followups_due_today', title: t('workbench.dueToday'), value: w?.followups_due_today },
    { key: 'followups_overdue', title: t('workbench.overdue'), value: w?.followups_overdue, warn: true },
    { key: 'new_customers_this_month', title: t('workbench.newThisMonth'), value: w?.new_customers_this_month },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="workbench">
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('workbench.greeting', { name: user?.display_name ?? user?.username ?? '' })}
          </Typography.Title>
          {w && (
            <Typography.Text type="secondary" data-testid="business-date">
              {t('workbench.businessDate', { date: format.date(w.business_date) })}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {readsCustomers && (
        <Row gutter={[16, 16]}>
          {counts.map((c) => (
            <Col key={c.key} xs={24} sm={12} xl={6}>
              <Card
                hoverable={Boolean(c.to)}
                onClick={c.to ? () => navigate(c.to) : undefined}
                data-testid={`workbench-${c.key}`}
                loading={workbench.isLoading}
              >
                <Statistic
                  title={c.title}
                  value={c.value ?? 0}
                  valueStyle={c.warn && (c.value ?? 0) > 0 ? { color: '#cf1322' } : undefined}
                />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={readsCustomers ? 12 : 24}>
          <Card title={t('workbench.quickActions')} style={{ height: '100%' }}>
            <Space wrap data-testid="quick-actions">
              {actions.map((a) => (
                <Button key={a.path} icon={a.icon} onClick={() => navigate(a.path)}>
                  {t(a.labelKey)}
                </Button>
              ))}
            </Space>
          </Card>
        </Col>
        {readsCustomers && (
          <Col xs={24} lg={12}>
            <Card title={t('workbench.recent')} style={{ height: '100%' }}>
              <List
                size="small"
                data-testid="recent-customers"
                dataSource={recent}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.recentEmpty')} /> }}
                renderItem={(c) => (
                  <List.Item extra={<Typography.Text type="secondary">{format.dateTime(c.viewed_at)}</Typography.Text>}>
                    <Space>
                      <Link to={`/customers/${c.id}`}>{c.name}</Link>
                      <Tag>{t(`customers.type.${c.type}`, { defaultValue: c.type })}</Tag>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
      <Row gutter={[16, 16]}>
        {engineSections(can).map((s) => (
          <Col key={s} xs={24} lg={8}>
            {s === 'todo' ? (
              <TodoCard />
            ) : (
              <Card title={t(`workbench.sections.${s}.title`)} style={{ height: '100%' }} data-testid={`section-${s}`}>
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`workbench.sections.${s}.comingWith`)} />
              </Card>
            )}
          </Col>
        ))}
      </Row>
    </Space>
  );
}
