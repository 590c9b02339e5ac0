import { Badge, Button, Tooltip } from 'antd';
import { CheckSquareOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TodoCounts } from '../../pages/todos/types';

/** The user's open to-dos in the top bar, red when some are overdue; opens 我的待办. */
export default function TodoBadge({ counts }: { counts: TodoCounts | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const open = counts?.open ?? 0;
  const overdue = counts?.overdue ?? 0;
  const label = t('layout.todoCounts', { open, overdue });
  return (
    <Tooltip title={label}>
      <Button
        type="text"
        aria-label={label}
        data-testid="todo-badge"
        onClick={() => navigate('/todos')}
        icon={
          <Badge count={open} size="small" overflowCount={99} color={overdue > 0 ? '#f5222d' : '#1677ff'}>
            <CheckSquareOutlined />
          </Badge>
        }
      />
    </Tooltip>
  );
}
