import { Descriptions, Drawer, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../../services/formatting';
import { getDelivery, prettyPayload } from '../service';
import type { DeliveryDetail } from '../types';
import DeliveryStatusTag from './DeliveryStatusTag';

interface Props {
  id: number | null;
  onClose: () => void;
  /** The retry and discard buttons for the delivery shown. */
  actions: (d: DeliveryDetail) => ReactNode;
}


/** A delivery and the event it carries, the payload as indented JSON. */
export default function DeliveryDrawer({ id, onClose, actions }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const d = useQuery({ queryKey: ['outbox', 'delivery', id], queryFn: () => getDelivery(id ?? 0), enabled: id !== null }).data;
  const shown = d && d.id === id ? d : undefined;
  return (
    <Drawer open={id !== null} onClose={onClose} width={720} title={t('outbox.drawerTitle', { id: id ?? '' })} extra={shown && actions(shown)} destroyOnHidden>
      {!shown ? (
        <Spin />
      ) : (
        <div data-testid="delivery-drawer">
          <Descriptions size="small" column={2} bordered title={t('outbox.delivery')}>
            <Descriptions.Item label={t('outbox.status')}>
              <DeliveryStatusTag status={shown.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('outbox.consumer')}>{shown.consumer}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.attempts')}>{shown.attempts}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.idemKey')}>
              <Typography.Text copyable>{shown.idem_key}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('outbox.createdAt')}>{format.dateTime(shown.created_at, true)}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.dueAt')}>{format.dateTime(shown.due_at, true)}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.finishedAt')} span={2}>
              {shown.finished_at ? format.dateTime(shown.finished_at, true) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('outbox.lastError')} span={2}>
              <Typography.Text type={shown.last_error ? 'danger' : 'secondary'} style={{ whiteSpace: 'pre-wrap' }}>
                {shown.last_error || '—'}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Descriptions size="small" column={2} bordered title={t('outbox.event')} style={{ marginTop: 16 }}>
            <Descriptions.Item label={t('outbox.eventSeq')}>{shown.event.seq}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.eventType')}>{shown.event.type}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.stream')}>{`${shown.event.stream_type} #${shown.event.stream_id}`}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.actor')}>{shown.event.actor || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.occurredAt')}>{format.dateTime(shown.event.occurred_at, true)}</Descriptions.Item>
            <Descriptions.Item label={t('outbox.correlationId')}>
              <Typography.Text copyable={Boolean(shown.event.correlation_id)}>{shown.event.correlation_id || '—'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('outbox.causationSeq')} span={2}>
              {shown.event.causation_seq ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('outbox.payload')}
          </Typography.Title>
          <pre data-testid="event-payload" style={{ background: '#fafafa', border: '1px solid #f0f0f0', padding: 12, maxHeight: 400, overflow: 'auto', fontSize: 12 }}>
            {prettyPayload(shown.event.payload)}
          </pre>
        </div>
      )}
    </Drawer>
  );
}
