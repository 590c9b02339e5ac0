import { Button, Empty, Spin, Tag, Timeline, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Entity } from '../../../../api/types';
import { useFormat } from '../../../../services/formatting';
import { describeChange, timeline, timelineColor, timelineKey } from '../service';
import type { CustomerTimelineItem } from '../types';
import TimelineTodo from './TimelineTodo';

interface Props {
  customerId: string;
  entity: Entity;
}

// A change of many fields shows its first few; the audit log has them all.
const SHOWN_CHANGES = 8;

export default function TimelineTab({ customerId, entity }: Props) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const q = useInfiniteQuery({
    queryKey: ['customer', customerId, 'timeline'],
    queryFn: ({ pageParam }) => timeline(customerId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items: CustomerTimelineItem[] = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isLoading) return <Spin />;
  if (items.length === 0) return <Empty description={t('timeline.empty')} />;
  return (
    <>
      <Timeline
        data-testid="timeline"
        items={items.map((item) => ({
          key: timelineKey(item),
          color: timelineColor(item),
          children: (
            <div>
              <Typography.Text type="secondary">{format.dateTime(item.at)}</Typography.Text>{' '}
              {item.actor && <Typography.Text type="secondary">· {item.actor}</Typography.Text>}
              <div>
                {item.kind === 'todo' ? (
                  <TimelineTodo item={item} format={format} />
                ) : item.kind === 'followup' ? (
                  <>
                    <Tag color="blue">{t(`followups.channels.${item.channel ?? 'other'}`, { defaultValue: item.channel ?? '' })}</Tag>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{item.content}</span>
                  </>
                ) : (
                  <>
                    <Tag>{item.action_label ?? item.action}</Tag>
                    {item.summary ? (
                      <Typography.Text>{item.summary}</Typography.Text>
                    ) : (
                      (item.changes ?? []).slice(0, SHOWN_CHANGES).map((c, i) => (
                        <div key={i}>
                          <Typography.Text>{describeChange(c, entity, i18n.language, format)}</Typography.Text>
                        </div>
                      ))
                    )}
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
