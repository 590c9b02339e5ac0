import { useRef } from 'react';
import { DatePicker, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../api/errors';
import type { AssignableUser } from '../../../api/types';
import { useAuth } from '../../../auth/AuthContext';
import UserPicker from '../../../components/UserPicker';
import { createTodo, newIdempotencyKey, toNewTodo } from '../service';
import { TITLE_MAX, type NewTodoForm, type Todo } from '../types';

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (todo: Todo) => void;
}

/** 新建待办: a title, an optional due time, and whom it is for (the user themself unless changed). */
export default function NewTodoModal({ open, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { user, can, timeZone } = useAuth();
  const [form] = Form.useForm<NewTodoForm>();
  // One key per dialog: a retried submit is the same to-do, a new dialog a new one.
  const key = useRef(newIdempotencyKey());
  const me: AssignableUser[] = user
    ? [
        {
          id: user.id,
          username: user.username,
          display_name: user.display_name,
          department: { id: user.department.id ?? 0, name: user.department.name ?? '', path_names: user.department.path ?? '' },
          roles: [],
        },
      ]
    : [];
  const close = () => {
    form.resetFields();
    key.current = newIdempotencyKey();
    onClose();
  };
  const create = useMutation({
    mutationFn: (v: NewTodoForm) => createTodo(toNewTodo(v, user?.id, timeZone), key.current),
    onSuccess: (todo) => {
      close();
      onCreated(todo);
    },
    onError: (e) => reportError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('todos.new')}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<NewTodoForm>
        form={form}
        layout="vertical"
        name="newTodo"
        initialValues={{ assignee_id: user?.id }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="title"
          label={t('todos.titleLabel')}
          rules={[
            { required: true, whitespace: true, message: t('validation.requiredField', { label: t('todos.titleLabel') }) },
            { max: TITLE_MAX, message: t('validation.maxLength', { max: TITLE_MAX }) },
          ]}
        >
          <Input maxLength={TITLE_MAX} showCount />
        </Form.Item>
        <Form.Item name="due_at" label={t('todos.dueAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        {/* Others can be picked among the assignable users, which only a reader of customers may list. */}
        {can('customer.read') && (
          <Form.Item name="assignee_id" label={t('todos.assignee')}>
            <UserPicker known={me} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
