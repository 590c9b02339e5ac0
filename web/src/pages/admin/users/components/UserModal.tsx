import { useEffect } from 'react';
import { App, Form, Input, Modal, Select, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import { useAuth } from '../../../../auth/AuthContext';
import { listOf } from '../../../../services/access';
import DepartmentPicker from '../../../../components/DepartmentPicker';
import { PersonSummary } from '../../../../components/UserPicker';
import { useDepartments } from '../../../../services/directory';
import { createUser, updateUser } from '../service';
import type { UserFormValues } from '../types';

interface Props {
  open: boolean;
  user: User | null;
  roleOptions: { value: string; label: string }[];
  roleName: (key: string) => string;
  users: User[];
  onClose: () => void;
}

export default function UserModal({ open, user, roleOptions, roleName, users, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message, notification } = App.useApp();
  const { user: me } = useAuth();
  // The server refuses a change to one's own roles or department; say so before it has to.
  const self = user !== null && user.id === me?.id;
  const [form] = Form.useForm<UserFormValues>();
  const queryClient = useQueryClient();
  const departments = new Map((useDepartments().data?.items ?? []).map((d) => [d.id, d]));
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (user) {
      form.setFieldsValue({
        username: user.username,
        display_name: user.display_name,
        department_id: user.department_id,
        supervisor_id: user.supervisor_id ?? null,
        roles: user.roles,
      });
    }
  }, [open, user, form]);
  const save = useMutation({
    mutationFn: (v: UserFormValues) =>
      user
        ? updateUser(user, { display_name: v.display_name, department_id: v.department_id, supervisor_id: v.supervisor_id ?? null, roles: v.roles })
        : createUser({ ...v, supervisor_id: v.supervisor_id ?? null, must_change_password: v.must_change_password ?? true }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      form.resetFields();
      onClose();
      const waiting = (saved.pending_changes ?? []).map((c) => roleName(c.role?.key ?? ''));
      if (waiting.length > 0) {
        notification.info({ message: t('common.submitted'), description: t('users.pendingRoles', { roles: listOf(waiting, i18n.language) }), duration: 10 });
      } else {
        void message.success(t('common.saved'));
      }
    },
    onError: (e) => reportError(e, form),
  });
  return (
    <Modal
      open={open}
      title={user ? t('users.edit') : t('users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form form={form} name="user" layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ roles: [], must_change_password: true }}>
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input disabled={user !== null} autoComplete="off" />
        </Form.Item>
        <Form.Item name="display_name" label={t('users.displayName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input />
        </Form.Item>
        {!user && (
          <>
            <Form.Item name="password" label={t('users.initialPassword')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name="must_change_password" label={t('users.mustChange')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
        <Form.Item name="department_id" label={t('users.department')} rules={[{ required: true, message: t('validation.required') }]}>
          <DepartmentPicker disabled={self} />
        </Form.Item>
        <Form.Item name="supervisor_id" label={t('users.supervisor')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={users.filter((u) => u.id !== user?.id).map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})`, user: u }))}
            optionRender={(option) => {
              const u = (option.data as { user?: User }).user;
              if (!u) return option.label;
              const d = departments.get(u.department_id);
              return <PersonSummary displayName={u.display_name} username={u.username} place={d ? d.path_names : ''} roleNames={u.roles.map(roleName)} />;
            }}
          />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={self ? t('users.selfRoles') : undefined}
        >
          <Select mode="multiple" optionFilterProp="label" options={roleOptions} disabled={self} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
