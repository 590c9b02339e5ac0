import { useMemo, useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PendingChange } from '../../../api/types';
import { reportError } from '../../../api/errors';
import { useAuth } from '../../../auth/AuthContext';
import { usePermissionNames, useRoleNames } from '../../../services/access';
import { useUsers } from '../../../services/directory';
import { useFormat } from '../../../services/formatting';
import { PENDING_STATUSES, approvalBlock, approveChange, describeChange, listPendingChanges, nameWithKey, rejectChange } from './service';
import type { ChangeNames, PendingStatus } from './types';

const STATUS_COLORS: Record<PendingStatus, string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
  expired: 'default',
};

export default function PendingChangesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const time = (at: string | null | undefined) => format.dateTime(at) || '—';
  const { can, user: me } = useAuth();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<PendingStatus>('pending');
  const users = useUsers(true);
  const { roleName } = useRoleNames();
  const permissionName = usePermissionNames();
  const list = useInfiniteQuery({
    queryKey: ['pending-changes', status],
    queryFn: ({ pageParam }) => listPendingChanges(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const displayNames = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.display_name])), [users.data]);

  const names: ChangeNames = {
    user: (u) => nameWithKey(u.id === undefined ? undefined : displayNames.get(u.id), u.username ?? `#${u.id}`, t),
    role: (key) => nameWithKey(roleName(key), key, t),
    permission: (key) => nameWithKey(permissionName(key), key, t),
  };
  const describe = (c: PendingChange) => describeChange(c, names, t);

  // A decision changes users and roles; a failure (409: decided meanwhile) means the list is stale.
  const refresh = () => {
    for (const key of ['pending-changes', 'users', 'roles']) void queryClient.invalidateQueries({ queryKey: [key] });
  };
  const approve = useMutation({
    mutationFn: approveChange,
    onSuccess: () => void message.success(t('pendingChanges.approved')),
    onError: (e) => reportError(e),
    onSettled: refresh,
  });
  const reject = useMutation({
    mutationFn: rejectChange,
    onSuccess: (c) => void message.success(c.status === 'cancelled' ? t('pendingChanges.withdrawn') : t('pendingChanges.rejected')),
    onError: (e) => reportError(e),
    onSettled: refresh,
  });

  const actions = (c: PendingChange) => {
    const mine = c.requested_by.id === me?.id;
    const block = me ? approvalBlock(c, me) : null;
    const change = describe(c);
    return (
      <Space size={0}>
        {can('role.admin') &&
          (block ? (
            <Tooltip title={t(`pendingChanges.cannotApprove.${block}`)}>
              <Button type="link" size="small" disabled>
                {t('pendingChanges.approve')}
              </Button>
            </Tooltip>
          ) : (
            <Popconfirm
              title={t('pendingChanges.approveTitle')}
              description={t('pendingChanges.approveEffect', { change })}
              onConfirm={() => approve.mutate(c.id)}
              okText={t('pendingChanges.approve')}
              cancelText={t('common.cancel')}
              placement="topRight"
              styles={{ root: { maxWidth: 420 } }}
            >
              <Button type="link" size="small">
                {t('pendingChanges.approve')}
              </Button>
            </Popconfirm>
          ))}
        <Popconfirm
          title={mine ? t('pendingChanges.withdrawTitle') : t('pendingChanges.rejectTitle')}
          description={mine ? t('pendingChanges.withdrawEffect', { change }) : t('pendingChanges.rejectEffect', { change })}
          onConfirm={() => reject.mutate(c.id)}
          okText={mine ? t('pendingChanges.withdraw') : t('pendingChanges.reject')}
          okButtonProps={{ danger: !mine }}
          cancelText={t('common.cancel')}
          placement="topRight"
          styles={{ root: { maxWidth: 420 } }}
        >
          <Button type="link" size="small" danger={!mine}>
            {mine ? t('pendingChanges.withdraw') : t('pendingChanges.reject')}
          </Button>
        </Popconfirm>
      </Space>
    );
  };

  const columns: TableColumnsType<PendingChange> = [
    { key: 'change', title: t('pendingChanges.change'), render: (_v, c) => describe(c) },
    { key: 'requested_by', title: t('pendingChanges.requestedBy'), render: (_v, c) => c.requested_by.display_name ?? `#${c.requested_by.id}`, width: 140 },
    { key: 'requested_at', title: t('pendingChanges.requestedAt'), render: (_v, c) => time(c.requested_at), width: 160 },
    { key: 'expires_at', title: t('pendingChanges.expiresAt'), render: (_v, c) => time(c.expires_at), width: 160 },
    {
      key: 'status',
      title: t('pendingChanges.status'),
      render: (_v, c) => <Tag color={STATUS_COLORS[c.status]}>{t(`pendingChanges.statuses.${c.status}`)}</Tag>,
      width: 100,
    },
    // Only a change still pending can be acted on; a decided one says who decided it and when.
    ...(status === 'pending'
      ? [{ key: 'actions', title: t('common.actions'), render: (_v: unknown, c: PendingChange) => actions(c), width: 140 }]
      : [
          {
            key: 'decided_by',
            title: t('pendingChanges.decidedBy'),
            render: (_v: unknown, c: PendingChange) => (c.decided_by ? (displayNames.get(c.decided_by) ?? `#${c.decided_by}`) : '—'),
            width: 140,
          },
          { key: 'decided_at', title: t('pendingChanges.decidedAt'), render: (_v: unknown, c: PendingChange) => time(c.decided_at), width: 160 },
        ]),
  ];

  return (
    <Card
      title={t('pendingChanges.title')}
      tabList={PENDING_STATUSES.map((s) => ({ key: s, label: t(`pendingChanges.statuses.${s}`) }))}
      activeTabKey={status}
      onTabChange={(key) => setStatus(PENDING_STATUSES.find((s) => s === key) ?? 'pending')}
    >
      <Typography.Paragraph type="secondary">{t('pendingChanges.intro')}</Typography.Paragraph>
      <Table<PendingChange>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        data-testid="pending-changes"
      />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
