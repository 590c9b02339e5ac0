import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Formatters } from '../../../../services/formatting';
import type { TimelineTodoItem } from '../types';

const STATUS_COLORS = { open: 'processing', done: 'success', cancelled: 'default' } as const;

/** A to-do in the customer timeline: what it is, its state, when it is due and whose it is. */
export default function TimelineTodo({ item, format }: { item: TimelineTodoItem; format: Pick<Formatters, 'dateTime'> }) {
  const { t } = useTranslation();
  const { todo } = item;
  const late = todo.status === 'open' && todo.overdue;
  return (
    <Space wrap size={[8, 0]} data-testid={`timeline-todo-${todo.id}`} data-overdue={late ? 'true' : undefined}>
      <Tag color="orange">{t('timeline.todo')}</Tag>
      <Tag color={STATUS_COLORS[todo.status]}>{t(`todos.status.${todo.status}`, { defaultValue: todo.status })}</Tag>
      <Typography.Text delete={todo.status === 'cancelled'}>{todo.title}</Typography.Text>
      {todo.due_at && (
        <Typography.Text type={late ? 'danger' : 'secondary'}>
          {late ? t('timeline.todoDueLate', { due: format.dateTime(todo.due_at) }) : t('timeline.todoDue', { due: format.dateTime(todo.due_at) })}
        </Typography.Text>
      )}
      <Typography.Text type="secondary">{t('timeline.todoAssignee', { name: todo.assignee_name })}</Typography.Text>
    </Space>
  );
}
