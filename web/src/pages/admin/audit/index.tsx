import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/types';
import { useAuth } from '../../../auth/AuthContext';
import UserPicker from '../../../components/UserPicker';
import { localized, useEntity } from '../../../services/entity';
import { useFormat } from '../../../services/formatting';
import { listAudit, listAuditActions, toAuditQuery } from './service';
import { AUDIT_OBJECT_TYPES, type AuditFilterValues } from './types';

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const format = useFormat();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const actions = useQuery({ queryKey: ['audit-actions'], queryFn: listAuditActions, staleTime: 300_000 });
  // Customer changes name their fields by key; the customer form's labels name them for the reader.
  const customer = useEntity('customer');
  const query = useMemo(() => toAuditQuery(filters, format), [filters, format]);
  const list = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) => listAudit(query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const objectType = (type: string) => t(`audit.objectTypes.${type}`, { defaultValue: type });
  const fieldLabel = (e: AuditEvent, field: string | undefined) => {
    const f = e.entity_type === 'customer' ? customer.data?.fields.find((x) => x.name === field) : undefined;
    return f ? localized(f.label, i18n.language) : (field ?? '');
  };
  const columns: TableColumnsType<AuditEvent> = [
    { key: 'at', title: t('audit.at'), render: (_v, e) => format.dateTime(e.at, true), width: 170 },
    { key: 'user', title: t('audit.user'), render: (_v, e) => e.username ?? (e.user_id ? `#${e.user_id}` : '—'), width: 140, ellipsis: true },
    {
      key: 'action',
      title: t('audit.action'),
      width: 160,
      render: (_v, e) => (
        <Tooltip title={e.action}>
          <span>{e.action_label}</span>
        </Tooltip>
      ),
    },
    {
      key: 'entity',
      title: t('audit.entity'),
      width: 220,
      ellipsis: { showTitle: false },
      render: (_v, e) => {
        const text = e.object_label ?? (e.entity_type ? `${objectType(e.entity_type)}${e.entity_id ? ` #${e.entity_id}` : ''}` : '');
        return (
          <Tooltip title={text}>
            <span>{text}</span>
          </Tooltip>
        );
      },
    },
    {
      key: 'detail',
      title: t('audit.detail'),
      dataIndex: 'detail',
      ellipsis: { showTitle: false },
      render: (detail?: string) => (
        <Tooltip title={detail}>
          <span>{detail}</span>
        </Tooltip>
      ),
    },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'client_ip', width: 130 },
    {
      key: 'request',
      title: t('audit.requestId'),
      width: 160,
      ellipsis: true,
      render: (_v, e) => (
        <Typography.Text type="secondary" copyable={Boolean(e.request_id)}>
          {e.request_id}
        </Typography.Text>
      ),
    },
  ];
  return (
    <Card title={t('audit.title')}>
      <Form name="auditFilter" layout="inline" onFinish={(v: AuditFilterValues) => setFilters(v)} style={{ marginBottom: 16, rowGap: 8 }}>
        {/* The picker lists the assignable users, which only a reader of customers may see. */}
        {can('customer.read') && (
          <Form.Item name="user_id" label={t('audit.user')}>
            <UserPicker allowClear style={{ width: 200 }} placeholder={t('common.all')} />
          </Form.Item>
        )}
        <Form.Item name="action" label={t('audit.action')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            placeholder={t('common.all')}
            loading={actions.isLoading}
            options={(actions.data?.items ?? []).map((a) => ({ value: a.key, label: a.label }))}
          />
        </Form.Item>
        <Form.Item name="entity_type" label={t('audit.entityType')}>
          <Select allowClear style={{ width: 140 }} placeholder={t('common.all')} options={AUDIT_OBJECT_TYPES.map((type) => ({ value: type, label: objectType(type) }))} />
        </Form.Item>
        <Form.Item name="entity_id" label={t('audit.entityId')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="range" label={t('audit.range')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form>
      <Table<AuditEvent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1200 }}
        data-testid="audit-table"
        expandable={{
          rowExpandable: (e) => (e.changes ?? []).length > 0,
          expandedRowRender: (e) => (
            <ul style={{ margin: 0 }}>
              {(e.changes ?? []).map((c, i) => (
                <li key={i}>
                  {fieldLabel(e, c.field)}: {c.before ?? '—'} → {c.after ?? '—'}
                </li>
              ))}
            </ul>
          ),
        }}
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
