import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/types';
import { useAuth } from '../../../auth/AuthContext';
import { useUsers } from '../../../services/directory';
import { useFormat } from '../../../services/formatting';
import { listAudit, toAuditQuery } from './service';
import type { AuditFilterValues } from './types';

export default function AuditPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const format = useFormat();
  const users = useUsers(can('user.read'));
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const query = useMemo(() => toAuditQuery(filters, format), [filters, format]);
  const list = useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam }) => listAudit(query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const columns: TableColumnsType<AuditEvent> = [
    { key: 'at', title: t('audit.at'), render: (_v, e) => format.dateTime(e.at, true), width: 170 },
    { key: 'user', title: t('audit.user'), render: (_v, e) => e.username ?? (e.user_id ? `#${e.user_id}` : '—') },
    { key: 'action', title: t('audit.action'), render: (_v, e) => <code>{e.action}</code> },
    { key: 'entity', title: t('audit.entity'), render: (_v, e) => (e.entity_type ? `${e.entity_type}${e.entity_id ? ` #${e.entity_id}` : ''}` : '') },
    { key: 'detail', title: t('audit.detail'), dataIndex: 'detail', ellipsis: true },
    { key: 'ip', title: t('audit.ip'), dataIndex: 'client_ip' },
    { key: 'request', title: t('audit.requestId'), render: (_v, e) => <Typography.Text type="secondary" copyable={Boolean(e.request_id)}>{e.request_id}</Typography.Text> },
  ];
  return (
    <Card title={t('audit.title')}>
      <Form name="auditFilter" layout="inline" onFinish={(v: AuditFilterValues) => setFilters(v)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="user_id" label={t('audit.user')}>
          {can('user.read') ? (
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))} />
          ) : (
            <InputNumber min={1} precision={0} />
          )}
        </Form.Item>
        <Form.Item name="entity_type" label={t('audit.entityType')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="entity_id" label={t('audit.entityId')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="action" label={t('audit.action')}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="range" label={t('audit.range')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">{t('common.search')}</Button>
      </Form>
      <Table<AuditEvent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        expandable={{
          rowExpandable: (e) => (e.changes ?? []).length > 0,
          expandedRowRender: (e) => (
            <ul style={{ margin: 0 }}>
              {(e.changes ?? []).map((c, i) => (
                <li key={i}>
                  <code>{c.field}</code>: {c.before ?? '—'} → {c.after ?? '—'}
                </li>
              ))}
            </ul>
          ),
        }}
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('common.loadMore')}</Button>
        </div>
      )}
    </Card>
  );
}
