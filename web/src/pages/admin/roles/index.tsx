import { useState } from 'react';
import { App, Button, Card, Checkbox, Col, Drawer, Form, Input, Popconfirm, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../api/types';
import { reportError } from '../../../api/errors';
import { listOf, needsSecondApproval, permissionName, usePermissionCatalogue, useRoles } from '../../../services/access';
import { localized } from '../../../services/entity';
import { createRole, deleteRole, updateRole } from './service';
import type { RoleFormValues } from './types';

export default function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message, notification } = App.useApp();
  const queryClient = useQueryClient();
  const roles = useRoles(true);
  const catalogue = usePermissionCatalogue(true);
  const [editing, setEditing] = useState<Role | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<RoleFormValues>();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['roles'] });
  const save = useMutation({
    mutationFn: (v: RoleFormValues) => (editing ? updateRole(editing, v) : createRole(v)),
    onSuccess: (saved) => {
      setOpen(false);
      form.resetFields();
      void invalidate();
      const waiting = (saved.pending_changes ?? []).map((c) => permissionName(c.permission ?? '', catalogue.data, i18n.language, t));
      if (waiting.length > 0) {
        notification.info({
          message: t('common.saved'),
          description: t('roles.pendingPermissions', { permissions: listOf(waiting, i18n.language) }),
          duration: 10,
        });
      } else {
        void message.success(t('common.saved'));
      }
    },
    onError: (e) => reportError(e, form),
  });
  const remove = useMutation({
    mutationFn: deleteRole,
    onSuccess: () => {
      void invalidate();
      void message.success(t('roles.deleted'));
    },
    onError: (e) => reportError(e),
  });
  const scopeOptions = (catalogue.data?.scopes ?? ['own', 'department', 'subtree', 'all']).map((s) => ({ value: s, label: t(`roles.scopes.${s}`) }));

  const edit = (r: Role | null) => {
    setEditing(r);
    form.resetFields();
    if (r) form.setFieldsValue({ key: r.key, name_zh: r.name['zh-CN'], name_en: r.name['en-US'], permissions: r.permissions, scopes: r.scopes });
    setOpen(true);
  };

  const columns: TableColumnsType<Role> = [
    { key: 'name', title: t('roles.name'), render: (_v, r) => localized(r.name, i18n.language) },
    { key: 'key', title: t('roles.key'), dataIndex: 'key' },
    { key: 'builtin', title: t('roles.kind'), render: (_v, r) => (r.builtin ? <Tag color="blue">{t('roles.builtin')}</Tag> : <Tag>{t('roles.custom')}</Tag>) },
    {
      key: 'permissions',
      title: t('roles.permissions'),
      render: (_v, r) => (
        <Tooltip title={listOf(r.permissions.map((p) => permissionName(p, catalogue.data, i18n.language, t)), i18n.language)}>
          <span>{t('roles.permissionCount', { count: r.permissions.length })}</span>
        </Tooltip>
      ),
    },
    {
      key: 'scopes',
      title: t('roles.dataScopes'),
      render: (_v, r) => Object.entries(r.scopes).map(([k, s]) => <Tag key={k}>{`${t(`roles.entities.${k}`, { defaultValue: k })}: ${t(`roles.scopes.${s}`)}`}</Tag>),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_v, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => edit(r)}>{t('common.edit')}</Button>
          {!r.builtin && (
            <Popconfirm title={t('roles.deleteConfirm')} onConfirm={() => remove.mutate(r.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
              <Button type="link" size="small" danger>{t('common.delete')}</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card title={t('roles.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => edit(null)}>{t('roles.create')}</Button>}>
      <Table<Role> rowKey="id" size="middle" columns={columns} dataSource={roles.data?.items ?? []} loading={roles.isLoading} pagination={false} />
      <Drawer
        open={open}
        width={640}
        title={editing ? t('roles.edit') : t('roles.create')}
        onClose={() => setOpen(false)}
        forceRender
        extra={
          <Space>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button>
          </Space>
        }
      >
        <Form form={form} name="role" layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ permissions: [], scopes: {} }}>
          <Form.Item name="key" label={t('roles.key')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input disabled={editing !== null} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="name_zh" label={t('roles.nameZh')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="name_en" label={t('roles.nameEn')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          {(catalogue.data?.scoped_entities ?? []).map((e) => (
            <Form.Item key={e} name={['scopes', e]} label={t('roles.scopeFor', { entity: t(`roles.entities.${e}`, { defaultValue: e }) })}>
              <Select allowClear options={scopeOptions} />
            </Form.Item>
          ))}
          <Form.Item name="permissions" label={t('roles.permissions')}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Row>
                {(catalogue.data?.items ?? []).map((p) => (
                  <Col span={24} key={p.key}>
                    <Checkbox value={p.key}>
                      {localized(p.description, i18n.language) || p.key}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        <code>{p.key}</code>
                      </Typography.Text>
                      {p.key && needsSecondApproval(p.key) && (
                        <Tag color="orange" style={{ marginInlineStart: 8 }}>{t('roles.dualControl')}</Tag>
                      )}
                    </Checkbox>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Drawer>
    </Card>
  );
}
