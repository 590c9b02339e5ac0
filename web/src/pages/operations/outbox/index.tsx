import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Popconfirm, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../api/errors';
import { useFormat } from '../../../services/formatting';
import DeliveryDrawer from './components/DeliveryDrawer';
import DeliveryStatusTag from './components/DeliveryStatusTag';
import DiscardModal from './components/DiscardModal';
import { canDiscard, canRetry, listDeliveries, retryDelivery, toOutboxQuery } from './service';
import { DELIVERY_STATUSES, type Delivery, type OutboxFilters } from './types';

const DEFAULT_FILTERS: OutboxFilters = { status: 'dead' };

/** 投递失败: the outbox's deliveries, the dead ones first, to retry or give up. */
export default function OutboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<OutboxFilters>(DEFAULT_FILTERS);
  const [shown, setShown] = useState<number | null>(null);
  const [discarding, setDiscarding] = useState<Delivery | null>(null);
  const query = useMemo(() => toOutboxQuery(filters), [filters]);
  const list = useInfiniteQuery({
    queryKey: ['outbox', 'list', query],
    queryFn: ({ pageParam }) => listDeliveries(query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const changed = () => void queryClient.invalidateQueries({ queryKey: ['outbox'] });
  const retry = useMutation({
    mutationFn: retryDelivery,
    onSuccess: () => {
      void message.success(t('outbox.retried'));
      changed();
    },
    onError: (e) => reportError(e),
  });

  const actions = (d: Delivery) => (
    <Space size={0}>
      {canRetry(d) && (
        <Popconfirm title={t('outbox.retryConfirm', { id: d.id })} okText={t('outbox.retry')} cancelText={t('common.cancel')} onConfirm={() => retry.mutateAsync(d.id).catch(() => undefined)}>
          <Button type="link" size="small">
            {t('outbox.retry')}
          </Button>
        </Popconfirm>
      )}
      {canDiscard(d) && (
        <Button type="link" size="small" danger onClick={() => setDiscarding(d)}>
          {t('outbox.discard')}
        </Button>
      )}
    </Space>
  );

  const columns: TableColumnsType<Delivery> = [
    {
      key: 'id',
      title: t('outbox.id'),
      width: 90,
      render: (_v, d) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setShown(d.id)}>
          #{d.id}
        </Button>
      ),
    },
    { key: 'event_type', title: t('outbox.eventType'), dataIndex: 'event_type', width: 180, ellipsis: true },
    { key: 'stream', title: t('outbox.stream'), width: 160, ellipsis: true, render: (_v, d) => `${d.stream_type} #${d.stream_id}` },
    { key: 'consumer', title: t('outbox.consumer'), dataIndex: 'consumer', width: 160, ellipsis: true },
    { key: 'status', title: t('outbox.status'), width: 100, render: (_v, d) => <DeliveryStatusTag status={d.status} /> },
    { key: 'attempts', title: t('outbox.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
    {
      key: 'last_error',
      title: t('outbox.lastError'),
      ellipsis: { showTitle: false },
      render: (_v, d) => (
        <Tooltip title={d.last_error}>
          <Typography.Text type="danger">{d.last_error}</Typography.Text>
        </Tooltip>
      ),
    },
    { key: 'created_at', title: t('outbox.createdAt'), width: 150, render: (_v, d) => format.dateTime(d.created_at) },
    { key: 'due_at', title: t('outbox.dueAt'), width: 150, render: (_v, d) => format.dateTime(d.due_at) },
    { key: 'actions', title: t('common.actions'), width: 130, fixed: 'right', render: (_v, d) => actions(d) },
  ];

  return (
    <Card title={t('outbox.title')}>
      <Form
        name="outboxFilter"
        layout="inline"
        initialValues={DEFAULT_FILTERS}
        onFinish={(v: OutboxFilters) => setFilters(v)}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="status" label={t('outbox.status')}>
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('common.all')}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`outbox.statuses.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="consumer" label={t('outbox.consumer')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form>
      <Table<Delivery>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1300 }}
        data-testid="outbox-table"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(filters.status === 'dead' ? 'outbox.noneDead' : 'outbox.none')} /> }}
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <DeliveryDrawer id={shown} onClose={() => setShown(null)} actions={actions} />
      <DiscardModal
        delivery={discarding}
        onClose={() => setDiscarding(null)}
        onDiscarded={() => {
          setDiscarding(null);
          void message.success(t('outbox.discarded'));
          changed();
        }}
      />
    </Card>
  );
}
