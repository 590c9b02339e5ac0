import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Card, Form, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AssignableUser, CustomerListItem } from '../../../api/types';
import { useAuth } from '../../../auth/AuthContext';
import FieldValue from '../../../components/FieldValue';
import { useDepartments } from '../../../services/directory';
import { fieldMap, localized, useEntity } from '../../../services/entity';
import { useFormat } from '../../../services/formatting';
import ColumnChooser from './components/ColumnChooser';
import CustomerFilters from './components/CustomerFilters';
import { isSortable, listCustomers, loadColumnChoice, loadFilterState, saveColumnChoice, saveFilterState, toQuery } from './service';
import type { CustomerFilterValues, FilterState } from './types';

const ALL_COLUMNS = ['name', 'type', 'phone', 'id_number', 'credit_code', 'risk_level', 'status', 'source_channel', 'tags', 'owner_id', 'department_id', 'created_at'];
const DEFAULT_COLUMNS = ['name', 'type', 'phone', 'risk_level', 'status', 'source_channel', 'owner_id', 'created_at'];

// Fixed widths, so a long name is cut short (in full on hover) instead of pushing columns off screen.
const WIDTHS: Record<string, number> = {
  name: 220,
  type: 80,
  phone: 140,
  id_number: 190,
  credit_code: 190,
  risk_level: 90,
  status: 100,
  source_channel: 120,
  tags: 180,
  owner_id: 130,
  department_id: 160,
  created_at: 150,
};

// The columns whose text can outgrow their width.
const CLIPPED = new Set(['name', 'phone', 'id_number', 'credit_code', 'source_channel', 'tags', 'owner_id', 'department_id']);

/** A cell cut to its column's width, with the full text on hover. */
function Clipped({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Tooltip title={title} placement="topLeft">
      <span>{children}</span>
    </Tooltip>
  );
}

export default function CustomerListPage() {
  const { t, i18n } = useTranslation();
  const { can, user } = useAuth();
  const userId = user?.id ?? 0;
  const navigate = useNavigate();
  const format = useFormat();
  const [form] = Form.useForm<CustomerFilterValues>();
  // Each user comes back to the filters they left, and no one else's.
  const [remembered] = useState<FilterState>(() => loadFilterState(userId));
  const [filters, setFilters] = useState<CustomerFilterValues>(remembered.values);
  const [collapsed, setCollapsed] = useState(remembered.collapsed);
  const [owner, setOwner] = useState<AssignableUser | undefined>(remembered.owner);
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [visible, setVisible] = useState<string[]>(() => loadColumnChoice(DEFAULT_COLUMNS));

  useEffect(() => {
    // antd types setFieldsValue with a deep partial that has no room for a range's null ends.
    form.setFieldsValue(remembered.values as Parameters<typeof form.setFieldsValue>[0]);
  }, [form, remembered]);

  const remember = (next: Partial<FilterState>) => {
    const state = { values: filters, collapsed, owner, ...next };
    saveFilterState(userId, { ...state, owner: state.values.owner_id === undefined ? undefined : state.owner });
  };

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
  const total = list.data?.pages[0]?.total;

  const deptNames = useMemo(() => new Map((departments.data?.items ?? []).map((d) => [d.id, d.name])), [departments.data]);

  const title = (key: string) => localized(fields.get(key)?.label, i18n.language) || key;
  const sortOrder = (key: string) => (sort === key ? 'ascend' : sort === `-${key}` ? 'descend' : null);

  const cell = (key: string, value: unknown, record: CustomerListItem): ReactNode => {
    if (key === 'name') return <Link to={`/customers/${record.id}`}>{record.name}</Link>;
    if (key === 'owner_id') return record.owner_name ?? (typeof value === 'number' ? `#${value}` : '—');
    if (key === 'department_id') return record.department_name ?? (typeof value === 'number' ? (deptNames.get(value) ?? `#${value}`) : '—');
    // An enterprise is reached on its contact phone: the server picks the number to show.
    if (key === 'phone') return record.display_phone || '—';
    return <FieldValue field={fields.get(key)} value={value} />;
  };

  const shown = ALL_COLUMNS.filter((k) => visible.includes(k));
  const columns: TableColumnsType<CustomerListItem> = shown.map((key) => ({
    key,
    dataIndex: key,
    title: title(key),
    width: WIDTHS[key],
    sorter: isSortable(fields.get(key), can('pii.unmask')),
    sortOrder: sortOrder(key),
    ellipsis: { showTitle: false },
    render: (value: unknown, record: CustomerListItem) => {
      const content = cell(key, value, record);
      if (!CLIPPED.has(key)) return content;
      return <Clipped title={key === 'name' ? record.name : content}>{content}</Clipped>;
    },
  }));

  const onChange: TableProps<CustomerListItem>['onChange'] = (_p, _f, sorter) => {
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
          collapsed={collapsed}
          onCollapse={(c) => {
            setCollapsed(c);
            remember({ collapsed: c });
          }}
          onSearch={(v) => {
            setFilters(v);
            remember({ values: v });
          }}
          onReset={() => {
            setFilters({});
            setOwner(undefined);
            remember({ values: {}, owner: undefined });
          }}
        />
      </Card>
      <Card
        title={
          <Space align="baseline">
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('customers.title')}
            </Typography.Title>
            {total !== undefined && (
              <Typography.Text type="secondary" data-testid="customer-total">
                {t('customers.total', { count: total })}
              </Typography.Text>
            )}
          </Space>
        }
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
        <Table<CustomerListItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          onChange={onChange}
          tableLayout="fixed"
          scroll={{ x: shown.reduce((sum, k) => sum + (WIDTHS[k] ?? 120), 0) }}
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
