import { useMemo, useState } from 'react';
import { Button, Card, Form, Space, Table, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../api/types';
import { useAuth } from '../../../auth/AuthContext';
import FieldValue from '../../../components/FieldValue';
import type { AssignableUser } from '../../../api/workspace-types';
import { useDepartments } from '../../../services/directory';
import { fieldMap, localized, useEntity } from '../../../services/entity';
import { useFormat } from '../../../services/formatting';
import ColumnChooser from './components/ColumnChooser';
import CustomerFilters from './components/CustomerFilters';
import { isSortable, listCustomers, loadColumnChoice, saveColumnChoice, toQuery } from './service';
import type { CustomerFilterValues } from './types';

const ALL_COLUMNS = ['name', 'type', 'phone', 'id_number', 'credit_code', 'risk_level', 'status', 'source_channel', 'tags', 'owner_id', 'department_id', 'created_at'];
const DEFAULT_COLUMNS = ['name', 'type', 'phone', 'risk_level', 'status', 'source_channel', 'owner_id', 'created_at'];

export default function CustomerListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const format = useFormat();
  const [form] = Form.useForm<CustomerFilterValues>();
  const [filters, setFilters] = useState<CustomerFilterValues>({});
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [visible, setVisible] = useState<string[]>(() => loadColumnChoice(DEFAULT_COLUMNS));

  const entity = useEntity('customer');
  const fields = useMemo(() => fieldMap(entity.data), [entity.data]);
  const departments = useDepartments();

  const query = useMemo(() => toQuery(filters, sort, format), [filters, sort, format]);
  const list = useInfiniteQuery({
    queryKey: ['customers', query],
    queryFn: ({ pageParam }) => listCustomers(query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const deptNames = useMemo(() => new Map((departments.data?.items ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const [owner, setOwner] = useState<AssignableUser | undefined>(undefined);

  const title = (key: string) => localized(fields.get(key)?.label, i18n.language) || key;
  const sortOrder = (key: string) => (sort === key ? 'ascend' : sort === `-${key}` ? 'descend' : null);

  const columns: TableColumnsType<Customer> = ALL_COLUMNS.filter((k) => visible.includes(k)).map((key) => {
    const field = fields.get(key);
    return {
      key,
      dataIndex: key,
      title: title(key),
      sorter: isSortable(field, can('pii.unmask')),
      sortOrder: sortOrder(key),
      ellipsis: true,
      render: (value: unknown, record: Customer) => {
        if (key === 'name') return <Link to={`/customers/${record.id}`}>{record.name}</Link>;
        if (key === 'owner_id') {
          return record.owner_name ?? (typeof value === 'number' ? `#${value}` : '—');
        }
        if (key === 'department_id') {
          return record.department_name ?? (typeof value === 'number' ? (deptNames.get(value) ?? `#${value}`) : '—');
        }
        return <FieldValue field={field} value={value} />;
      },
    };
  });

  const onChange: TableProps<Customer>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (!s || !s.order || typeof s.columnKey !== 'string') setSort(undefined);
    else setSort(s.order === 'descend' ? `-${s.columnKey}` : s.columnKey);
  };

  const updateVisible = (keys: string[]) => {
    setVisible(keys);
    saveColumnChoice(keys);
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <CustomerFilters
          form={form}
          entity={entity.data}
          owner={owner}
          onOwnerPick={setOwner}
          onSearch={(v) => setFilters(v)}
          onReset={() => setFilters({})}
        />
      </Card>
      <Card
        title={<Typography.Title level={4} style={{ margin: 0 }}>{t('customers.title')}</Typography.Title>}
        extra={
          <Space>
            <ColumnChooser
              columns={ALL_COLUMNS.map((k) => ({ key: k, title: title(k) }))}
              value={visible}
              onChange={updateVisible}
              onReset={() => updateVisible(DEFAULT_COLUMNS)}
            />
            {can('customer.write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/customers/new')}>
                {t('customers.new')}
              </Button>
            )}
          </Space>
        }
      >
        <Table<Customer>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          onChange={onChange}
          scroll={{ x: 'max-content' }}
          data-testid="customer-table"
        />
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore', { count: rows.length })}</Typography.Text>
          )}
        </div>
      </Card>
    </Space>
  );
}
