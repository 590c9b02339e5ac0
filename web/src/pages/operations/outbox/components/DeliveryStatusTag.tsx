import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../types';

const COLORS: Record<DeliveryStatus, string> = { pending: 'blue', leased: 'processing', done: 'success', dead: 'error', discarded: 'default' };

export default function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'}>{t(`outbox.statuses.${status}`, { defaultValue: status })}</Tag>;
}
