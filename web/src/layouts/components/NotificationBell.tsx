import { useState } from 'react';
import { Badge, Button, Empty, List, Popover, Space, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../api/errors';
import { useFormat } from '../../services/formatting';
import { recordPath } from '../../services/records';
import { listNotifications, markAllNotificationsRead, markNotificationRead, refreshNotificationViews } from '../service';
import type { Notification } from '../types';

/** The bell: how many notifications are unread, and the latest ones when opened. */
export default function NotificationBell({ unread }: { unread: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const latest = useQuery({ queryKey: ['notifications', 'latest'], queryFn: () => listNotifications(), enabled: open });
  const refresh = () => void refreshNotificationViews(queryClient);
  const readOne = useMutation({ mutationFn: markNotificationRead, onSuccess: refresh, onError: (e) => reportError(e) });
  const readAll = useMutation({ mutationFn: markAllNotificationsRead, onSuccess: refresh, onError: (e) => reportError(e) });
  const items = latest.data?.items ?? [];

  const openOne = (n: Notification) => {
    if (!n.read_at) readOne.mutate(n.id);
    const path = recordPath(n.link);
    if (path) {
      setOpen(false);
      navigate(path);
    }
  };

  const content = (
    <div style={{ width: 340 }} data-testid="notification-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Text strong>{t('layout.notifications')}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()}>
          {t('layout.markAllRead')}
        </Button>
      </Space>
      {latest.isLoading ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('layout.noNotifications')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(n) => (
            <List.Item
              onClick={() => openOne(n)}
              style={{ cursor: 'pointer', paddingInline: 4, background: n.read_at ? undefined : '#e6f4ff' }}
              data-unread={n.read_at ? undefined : 'true'}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.read_at}>{n.title}</Typography.Text>}
                description={
                  <Space direction="vertical" size={0}>
                    {n.body && <Typography.Text type="secondary">{n.body}</Typography.Text>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {format.dateTime(n.created_at)}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen}>
      <Button
        type="text"
        aria-label={t('layout.notificationsUnread', { count: unread })}
        data-testid="notification-bell"
        icon={
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined />
          </Badge>
        }
      />
    </Popover>
  );
}
