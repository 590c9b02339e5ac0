import { App, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { useAuth } from '../../../../auth/AuthContext';
import type { Customer, CustomerDeletion } from '../../../../api/types';
import { forgetCustomer } from '../../../../services/recent';
import { deleteCustomer } from '../service';

interface Props {
  customer: Customer;
  open: boolean;
  onClose: () => void;
}

// The server's bounds for the reason, which the audit log keeps with the deletion.
const REASON_MIN = 2;
const REASON_MAX = 200;

/** Removes the customer (a soft delete the audit log records) once a reason is given. */
export default function DeleteModal({ customer, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerDeletion>();
  const id = String(customer.id);
  const remove = useMutation({
    mutationFn: (v: CustomerDeletion) => deleteCustomer(id, { reason: v.reason.trim() }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: ['customer', id] });
      if (user) forgetCustomer(user.id, customer.id);
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void message.success(t('customers.deleted', { name: customer.name }));
      onClose();
      navigate('/customers', { replace: true });
    },
    onError: (e) => reportError(e, form),
  });
  return (
    <Modal
      open={open}
      title={t('customers.deleteTitle', { name: customer.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.delete')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={remove.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('customers.deleteEffect')}</Typography.Paragraph>
      <Form form={form} name="deleteCustomer" layout="vertical" onFinish={(v) => remove.mutate(v)}>
        <Form.Item
          name="reason"
          label={t('customers.deleteReason')}
          rules={[
            { required: true, whitespace: true, message: t('validation.requiredField', { label: t('customers.deleteReason') }) },
            { min: REASON_MIN, max: REASON_MAX, message: t('validation.lengthBetween', { min: REASON_MIN, max: REASON_MAX }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={REASON_MAX} showCount placeholder={t('customers.deleteReasonHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
