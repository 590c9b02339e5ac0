import { Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../api/errors';
import { completeTodo } from '../service';
import { NOTE_MAX, type Todo } from '../types';

interface Props {
  todo: Todo | null;
  onClose: () => void;
  onDone: (todo: Todo) => void;
}

/** 完成: asks what was done (optional) and marks the to-do done. */
export default function CompleteModal({ todo, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  const complete = useMutation({
    mutationFn: (note: string) => completeTodo(todo?.id ?? 0, note),
    onSuccess: (done) => {
      form.resetFields();
      onDone(done);
    },
    onError: (e) => reportError(e, form),
  });
  return (
    <Modal
      open={todo !== null}
      title={t('todos.completeTitle', { title: todo?.title ?? '' })}
      okText={t('todos.complete')}
      confirmLoading={complete.isPending}
      onOk={() => form.submit()}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="completeTodo" onFinish={(v) => complete.mutate(v.note?.trim() ?? '')}>
        <Form.Item name="note" label={t('todos.note')} rules={[{ max: NOTE_MAX, message: t('validation.maxLength', { max: NOTE_MAX }) }]}>
          <Input.TextArea rows={4} maxLength={NOTE_MAX} showCount placeholder={t('todos.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
