import { useEffect } from 'react';
import { Form, Input, Modal, Select, Switch, TreeSelect } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import { localized } from '../../../../services/entity';
import type { TreeNode } from '../../../../services/directory';
import { createUser, updateUser } from '../service';
import type { UserFormValues } from '../types';

interface Props {
  open: boolean;
  user: User | null;
  roles: Role[];
  users: User[];
  departments: TreeNode[];
  onClose: () => void;
}

export default function UserModal({ open, user, roles, users, departments, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<UserFormValues>();
  const queryClient = useQueryClient();
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
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
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
          <TreeSelect treeData={departments} treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="supervisor_id" label={t('users.supervisor')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={users.filter((u) => u.id !== user?.id).map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))}
          />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select mode="multiple" options={roles.map((r) => ({ value: r.key, label: localized(r.name, i18n.language) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
