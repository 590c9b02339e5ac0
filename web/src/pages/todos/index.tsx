import { useMemo, useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../api/errors';
import { useFormat } from '../../services/formatting';
import { recordPath } from '../../services/records';
import CompleteModal from './components/CompleteModal';
import NewTodoModal from './components/NewTodoModal';
import { cancelTodo, listTodos, overdueText, refreshTodoViews } from './service';
import { TODO_STATUSES, type Todo, type TodoStatus } from './types';

const OVERDUE_ROW = { background: '#fff1f0' };

/** 我的待办: the signed-in user's to-dos, open first, with what they may do about each. */
export default function TodosPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<TodoStatus>('open');
  const [completing, setCompleting] = useState<Todo | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['todos', status],
    queryFn: ({ pageParam }) => listTodos(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const changed = () => void refreshTodoViews(queryClient);
  const cancel = useMutation({
    mutationFn: cancelTodo,
    onSuccess: () => {
      void message.success(t('todos.cancelled'));
      changed();
    },
    onError: (e) => reportError(e),
  });

  const columns: TableColumnsType<Todo> = [
    {
      key: 'title',
      title: t('todos.titleLabel'),
      ellipsis: true,
      render: (_v, todo) => {
        const path = recordPath(todo.link);
        return (
          <Space direction="vertical" size={0}>
            {path ? (
              <Link to={path} style={{ fontWeight: todo.status === 'open' ? 600 : undefined }}>
                {todo.title}
              </Link>
            ) : (
              <Typography.Text strong={todo.status === 'open'}>{todo.title}</Typography.Text>
            )}
            {todo.link?.label && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {todo.link.label}
              </Typography.Text>
            )}
            {todo.status === 'done' && todo.completion_note && (
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
                {t('todos.noteShown', { note: todo.completion_note })}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      key: 'due_at',
      title: t('todos.dueAt'),
      width: 200,
      render: (_v, todo) =>
        todo.due_at ? (
          <Space direction="vertical" size={0}>
            <Typography.Text type={todo.overdue ? 'danger' : undefined}>{format.dateTime(todo.due_at)}</Typography.Text>
            {todo.overdue && (
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`overdue-${todo.id}`}>
                {overdueText(todo, t)}
              </Typography.Text>
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('todos.noDue')}</Typography.Text>
        ),
    },
    {
      key: 'source',
      title: t('todos.source'),
      width: 110,
      render: (_v, todo) => <Tag>{t(`todos.sources.${todo.source}`, { defaultValue: todo.source })}</Tag>,
    },
    ...(status === 'open' ? [] : [{ key: 'closed_at', title: t('todos.closedAt'), width: 160, render: (_v: unknown, todo: Todo) => format.dateTime(todo.closed_at) }]),
    { key: 'created_at', title: t('todos.createdAt'), width: 160, render: (_v, todo) => format.dateTime(todo.created_at) },
    ...(status === 'open'
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 140,
            render: (_v: unknown, todo: Todo) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setCompleting(todo)}>
                  {t('todos.complete')}
                </Button>
                <Popconfirm title={t('todos.cancelConfirm', { title: todo.title })} okText={t('todos.cancelOk')} cancelText={t('todos.keep')} onConfirm={() => cancel.mutateAsync(todo.id).catch(() => undefined)}>
                  <Button type="link" size="small" danger>
                    {t('todos.cancel')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('todos.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('todos.new')}
        </Button>
      }
    >
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as TodoStatus)}
        items={TODO_STATUSES.map((s) => ({ key: s, label: t(`todos.tabs.${s}`) }))}
      />
      <Table<Todo>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        tableLayout="fixed"
        data-testid="todo-table"
        rowClassName={(todo) => (todo.status === 'open' && todo.overdue ? 'todo-overdue' : '')}
        onRow={(todo) => (todo.status === 'open' && todo.overdue ? { style: OVERDUE_ROW } : {})}
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <CompleteModal
        todo={completing}
        onClose={() => setCompleting(null)}
        onDone={() => {
          setCompleting(null);
          void message.success(t('todos.completed'));
          changed();
        }}
      />
      <NewTodoModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          void message.success(t('todos.created'));
          changed();
        }}
      />
    </Card>
  );
}
