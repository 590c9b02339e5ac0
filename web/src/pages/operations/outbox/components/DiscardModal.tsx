import { Form, Input, Modal, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { discardDelivery, reasonProblem } from '../service';
import { REASON_MAX, REASON_MIN, type Delivery } from '../types';

interface Props {
  delivery: Delivery | null;
  onClose: () => void;
  onDiscarded: (d: Delivery) => void;
}

/** 丢弃: gives a dead delivery up for good, with the reason the audit log keeps. */
export default function DiscardModal({ delivery, onClose, onDiscarded }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const discard = useMutation({
    mutationFn: (reason: string) => discardDelivery(delivery?.id ?? 0, reason),
    onSuccess: (d) => {
      form.resetFields();
      onDiscarded(d);
    },
    onError: (e) => reportError(e, form),
  });
  const close = () => {
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={delivery !== null}
      title={t('outbox.discardTitle', { id: delivery?.id ?? '' })}
      okText={t('outbox.discard')}
      okButtonProps={{ danger: true }}
      confirmLoading={discard.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('outbox.discardHint', { consumer: delivery?.consumer ?? '', type: delivery?.event_type ?? '' })}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="discardDelivery" onFinish={(v) => discard.mutate(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('outbox.reason')}
          rules={[
            {
              validator: (_r, value: string | undefined) => {
                const problem = reasonProblem(value);
                return problem ? Promise.reject(new Error(t(`outbox.reasonProblems.${problem}`, { min: REASON_MIN, max: REASON_MAX }))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={REASON_MAX} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
