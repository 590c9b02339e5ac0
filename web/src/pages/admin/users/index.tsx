import { useMemo, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../api/types';
import { reportError } from '../../../api/errors';
import { useAuth } from '../../../auth/AuthContext';
import { useRoleNames } from '../../../services/access';
import DepartmentPicker from '../../../components/DepartmentPicker';
import { useDepartments, useUsers } from '../../../services/directory';
import UserModal from './components/UserModal';
import { listUsers, resetPassword, updateUser } from './service';
import type { UserFilters } from './types';

export default function UsersPage() {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const { can, user: me } = useAuth();
  // A security administrator sees who holds which role but manages no accounts.
  const manage = can('user.admin');
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<UserFilters>({});
  const [editing, setEditing] = useState<User | null>(null);
  const [open, setOpen] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [resetForm] = Form.useForm<{ password: string }>();
  const departments = useDepartments();
  const { roleName, keys: roleKeys } = useRoleNames();
  const allUsers = useUsers(true);
  const list = useInfiniteQuery({
    queryKey: ['users', 'list', filters],
    queryFn: ({ pageParam }) => listUsers(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const deptList = departments.data?.items ?? [];
  const deptById = new Map(deptList.map((d) => [d.id, d]));
  // Without the role list (role.admin) a custom role is known only from the users who hold it.
  const roleOptions = [...new Set([...roleKeys, ...(allUsers.data?.items ?? []).flatMap((u) => u.roles)])].map((key) => ({
    value: key,
    label: roleName(key),
  }));

  const toggle = useMutation({
    mutationFn: (u: User) => updateUser(u, { status: u.status === 'active' ? 'disabled' : 'active' }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      void message.success(saved.status === 'active' ? t('users.enabled') : t('users.disabled'));
    },
    onError: (e) => reportError(e),
  });
  const reset = useMutation({
    mutationFn: (v: { password: string }) => resetPassword(resetting?.id ?? 0, v.password),
    onSuccess: (pending) => {
      setResetting(null);
      if (pending) notification.info({ message: t('common.submitted'), description: t('users.resetPending'), duration: 10 });
      else void message.success(t('users.passwordReset'));
    },
    onError: (e) => reportError(e, resetForm),
  });

  const columns: TableColumnsType<User> = [
    { key: 'username', title: t('users.username'), dataIndex: 'username' },
    { key: 'display_name', title: t('users.displayName'), dataIndex: 'display_name' },
    {
      key: 'department',
      title: t('users.department'),
      render: (_v, u) => {
        const d = deptById.get(u.department_id);
        return d ? <Tooltip title={d.path_names}>{d.name}</Tooltip> : `#${u.department_id}`;
      },
    },
    { key: 'roles', title: t('users.roles'), render: (_v, u) => u.roles.map((r) => <Tag key={r}>{roleName(r)}</Tag>) },
    {
      key: 'status',
      title: t('users.status'),
      render: (_v, u) => <Tag color={u.status === 'active' ? 'green' : 'default'}>{t(`users.statuses.${u.status}`)}</Tag>,
    },
  ];
  if (manage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_v, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => { setEditing(u); setOpen(true); }}>
            {t('common.edit')}
          </Button>
          {u.id === me?.id ? (
            <Tooltip title={t('users.selfReset')}>
              <Button type="link" size="small" disabled>
                {t('users.resetPassword')}
              </Button>
            </Tooltip>
          ) : (
            <Button type="link" size="small" onClick={() => { resetForm.resetFields(); setResetting(u); }}>
              {t('users.resetPassword')}
            </Button>
          )}
          <Popconfirm
            title={u.status === 'active' ? t('users.disableConfirm') : t('users.enableConfirm')}
            onConfirm={() => toggle.mutate(u)}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
          >
            <Button type="link" size="small" danger={u.status === 'active'}>
              {u.status === 'active' ? t('users.disable') : t('users.enable')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <Card
      title={t('users.title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(null); setOpen(true); }}>
            {t('users.create')}
          </Button>
        )
      }
    >
      <Form name="userFilter" layout="inline" onFinish={(v: UserFilters) => setFilters(v)} style={{ marginBottom: 16 }}>
        <Form.Item name="q" label={t('users.search')}>
          <Input allowClear />
        </Form.Item>
        <Form.Item name="department_id" label={t('users.department')}>
          <DepartmentPicker allowClear style={{ width: 200 }} placeholder={t('common.all')} />
        </Form.Item>
        <Form.Item name="status" label={t('users.status')}>
          <Select allowClear style={{ width: 120 }} options={['active', 'disabled'].map((s) => ({ value: s, label: t(`users.statuses.${s}`) }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form>
      <Table<User> rowKey="id" size="middle" columns={columns} dataSource={rows} loading={list.isLoading} pagination={false} />
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()}>{t('common.loadMore')}</Button>
        </div>
      )}
      <UserModal
        open={open}
        user={editing}
        roleOptions={roleOptions}
        roleName={roleName}
        users={allUsers.data?.items ?? []}
        onClose={() => setOpen(false)}
      />
      <Modal
        open={resetting !== null}
        title={t('users.resetPasswordFor', { name: resetting?.display_name ?? '' })}
        onCancel={() => setResetting(null)}
        onOk={() => resetForm.submit()}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        confirmLoading={reset.isPending}
        forceRender
      >
        <Form form={resetForm} name="resetPassword" layout="vertical" onFinish={(v) => reset.mutate(v)}>
          <Form.Item name="password" label={t('users.newPassword')} rules={[{ required: true, message: t('validation.required') }]} extra={t('users.resetHint')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
