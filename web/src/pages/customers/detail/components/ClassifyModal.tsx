import { App, Form, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import type { Customer, Entity } from '../../../../api/types';
import { entityLabeler, localized } from '../../../../services/entity';
import { patchCustomer } from '../service';

interface Props {
  customer: Customer;
  entity: Entity;
  open: boolean;
  onClose: () => void;
}

// What customer.classify lets a risk officer or manager set without customer.write.
export const CLASSIFY_FIELDS = ['risk_level', 'status'] as const;
type ClassifyValues = Partial<Record<(typeof CLASSIFY_FIELDS)[number], string>>;

/** Sets the customer's 风险等级 and 客户状态 only, sending just what changed. */
export default function ClassifyModal({ customer, entity, open, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ClassifyValues>();
  const id = String(customer.id);
  const initial: ClassifyValues = Object.fromEntries(CLASSIFY_FIELDS.map((f) => [f, typeof customer[f] === 'string' ? customer[f] : undefined]));

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patchCustomer(id, body, customer.version),
    onSuccess: (saved) => {
      queryClient.setQueryData(['customer', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['customer', id] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (e) => reportError(e, form, entityLabeler(entity, i18n.language)),
  });

  const onFinish = (v: ClassifyValues) => {
    const body = Object.fromEntries(CLASSIFY_FIELDS.filter((f) => (v[f] ?? null) !== (initial[f] ?? null)).map((f) => [f, v[f] ?? null]));
    if (Object.keys(body).length === 0) {
      void message.info(t('customers.form.noChanges'));
      onClose();
      return;
    }
    save.mutate(body);
  };

  return (
    <Modal
      open={open}
      title={t('customers.classify')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {/* Mounted afresh on each opening, so it starts from the customer as it is then. */}
      <Form form={form} name="classify" layout="vertical" onFinish={onFinish} initialValues={initial}>
        {CLASSIFY_FIELDS.map((name) => {
          const field = entity.fields.find((f) => f.name === name);
          if (!field) return null;
          return (
            <Form.Item key={name} name={name} label={localized(field.label, i18n.language)}>
              <Select allowClear options={(field.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, i18n.language) }))} />
            </Form.Item>
          );
        })}
      </Form>
    </Modal>
  );
}
