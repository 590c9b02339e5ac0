import { Card, Empty, List, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../services/formatting';
import { recordPath } from '../../../services/records';
import { listTodos, overdueText } from '../../todos/service';

/** How many open to-dos the workbench lists; 我的待办 has them all. */
export const WORKBENCH_TODOS = 5;

/**
 * 待办 on the workbench: the user's open to-dos, soonest due first (the server's order for open
 * ones), the late ones in red. Kept current with the rest of the to-do views (refreshTodoViews).
 */
export default function TodoCard() {
  const { t } = useTranslation();
  const format = useFormat();
  const q = useQuery({ queryKey: ['todos', 'workbench'], queryFn: () => listTodos('open', undefined, WORKBENCH_TODOS) });
  return (
    <Card
      title={t('workbench.sections.todo.title')}
      extra={<Link to="/todos">{t('workbench.allTodos')}</Link>}
      style={{ height: '100%' }}
      data-testid="section-todo"
    >
      <List
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.noTodos')} /> }}
        renderItem={(todo) => {
          const path = recordPath(todo.link);
          return (
            <List.Item data-overdue={todo.overdue ? 'true' : undefined}>
              <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
                <Typography.Text ellipsis={{ tooltip: todo.title }}>{path ? <Link to={path}>{todo.title}</Link> : todo.title}</Typography.Text>
                <Typography.Text type={todo.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  {todo.due_at ? `${format.dateTime(todo.due_at)}${todo.overdue ? ` · ${overdueText(todo, t)}` : ''}` : t('todos.noDue')}
                </Typography.Text>
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
