import { Form, InputNumber, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { useAuth } from '../../../../auth/AuthContext';
import { useUsers } from '../../../../services/directory';
import { reassign } from '../service';

interface Props {
  customerId: string;
  open: boolean;
  onClose: () => void;
}

export default function ReassignModal({ customerId, open, onClose }: Props) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ owner_id: number }>();
  const users = useUsers(open && can('user.read'));
  const mutation = useMutation({
    mutationFn: (v: { owner_id: number }) => reassign(customerId, v.owner_id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onClose();
    },
    onError: (e) => reportError(e, form),
  });
  const options = (users.data?.items ?? []).filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }));
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
      <Form form={form} name="reassign" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item name="owner_id" label={t('customers.newOwner')} rules={[{ required: true, message: t('validation.required') }]}>
          {can('user.read') ? (
            <Select showSearch optionFilterProp="label" options={options} loading={users.isLoading} />
          ) : (
            <InputNumber min={1} precision={0} style={{ width: '100%' }} placeholder={t('customers.ownerIdPlaceholder')} />
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
