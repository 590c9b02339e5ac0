import { Button, Empty, Spin, Tag, Timeline, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Entity, TimelineItem } from '../../../../api/types';
import { localized, optionLabel } from '../../../../services/entity';
import { useFormat } from '../../../../services/formatting';
import { timeline } from '../service';

interface Props {
  customerId: string;
  entity: Entity;
}

function describeChange(change: Record<string, unknown>, entity: Entity, language: string): string {
  const name = typeof change.field === 'string' ? change.field : '';
  const field = entity.fields.find((f) => f.name === name);
  const label = field ? localized(field.label, language) : name;
  const fmt = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.map(fmt).join(', ');
    if (field?.options && field.options.length > 0) return optionLabel(field, v, language);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return `${label}: ${fmt(change.before)} → ${fmt(change.after)}`;
}

export default function TimelineTab({ customerId, entity }: Props) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const q = useInfiniteQuery({
    queryKey: ['customer', customerId, 'timeline'],
    queryFn: ({ pageParam }) => timeline(customerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items: TimelineItem[] = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isLoading) return <Spin />;
  if (items.length === 0) return <Empty description={t('timeline.empty')} />;
  return (
    <>
      <Timeline
        data-testid="timeline"
        items={items.map((item) => ({
          key: `${item.kind}-${item.id}`,
          color: item.kind === 'followup' ? 'blue' : 'gray',
          children: (
            <div>
              <Typography.Text type="secondary">{format.dateTime(item.at)}</Typography.Text>{' '}
              {item.actor && <Typography.Text type="secondary">· {item.actor}</Typography.Text>}
              <div>
                {item.kind === 'followup' ? (
                  <>
                    <Tag color="blue">{t(`followups.channels.${item.channel ?? 'other'}`, { defaultValue: item.channel ?? '' })}</Tag>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{item.content}</span>
                  </>
                ) : (
                  <>
                    <Tag>{t(`timeline.actions.${item.action ?? 'update'}`, { defaultValue: item.action ?? '' })}</Tag>
                    {(item.changes ?? []).slice(0, 8).map((c, i) => (
                      <div key={i}>
                        <Typography.Text>{describeChange(c, entity, i18n.language)}</Typography.Text>
                      </div>
                    ))}
                  </>
                )}
              </div>
            </div>
          ),
        }))}
      />
      {q.hasNextPage && (
        <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </>
  );
}
