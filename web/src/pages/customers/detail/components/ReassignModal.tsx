import { useState } from 'react';
import { App, Form, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import type { AssignableUser, Customer } from '../../../../api/types';
import UserPicker from '../../../../components/UserPicker';
import { reassign } from '../service';

interface Props {
  customer: Customer;
  open: boolean;
  onClose: () => void;
}

/** Hands the customer to another account manager, chosen by name, after a confirmation naming both. */
export default function ReassignModal({ customer, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ owner_id: number }>();
  const [picked, setPicked] = useState<AssignableUser | undefined>(undefined);
  const id = String(customer.id);
  const mutation = useMutation({
    mutationFn: (ownerId: number) => reassign(id, ownerId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['customer', id] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void message.success(t('customers.reassigned', { customer: customer.name, to: picked?.display_name ?? '' }));
      onClose();
    },
    onError: (e) => reportError(e, form),
  });
  const from = customer.owner_name ?? (typeof customer.owner_id === 'number' ? `#${customer.owner_id}` : t('customers.noOwner'));
  const confirm = (v: { owner_id: number }) => {
    void modal.confirm({
      title: t('customers.reassignConfirm', { customer: customer.name, from, to: picked?.display_name ?? `#${v.owner_id}` }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => mutation.mutateAsync(v.owner_id).catch(() => undefined),
    });
  };
  return (
    <Modal
      open={open}
      title={t('customers.reassign')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form form={form} name="reassign" layout="vertical" onFinish={confirm} preserve={false}>
        <Form.Item name="owner_id" label={t('customers.newOwner')} rules={[{ required: true, message: t('validation.required') }]}>
          <UserPicker onPick={setPicked} exclude={typeof customer.owner_id === 'number' ? [customer.owner_id] : []} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
