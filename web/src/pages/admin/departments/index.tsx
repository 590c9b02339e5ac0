import { useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, Modal, Popconfirm, Row, Space, Tree, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../api/types';
import { reportError } from '../../../api/errors';
import DepartmentPicker from '../../../components/DepartmentPicker';
import { departmentTree, useDepartments } from '../../../services/directory';
import { createDepartment, deleteDepartment, updateDepartment } from './service';
import type { DepartmentInput } from './types';

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const [selected, setSelected] = useState<Department | null>(null);
  const [modal, setModal] = useState<'create' | 'edit' | null>(null);
  const [form] = Form.useForm<DepartmentInput>();
  const list = departments.data?.items ?? [];
  const tree = departmentTree(list);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['departments'] });

  const save = useMutation({
    mutationFn: (v: DepartmentInput) => (modal === 'edit' && selected ? updateDepartment(selected, v) : createDepartment(v)),
    onSuccess: (d) => {
      setModal(null);
      form.resetFields();
      setSelected(d);
      void invalidate();
      void message.success(t('common.saved'));
    },
    onError: (e) => reportError(e, form),
  });
  const remove = useMutation({
    mutationFn: (id: number) => deleteDepartment(id),
    onSuccess: () => {
      setSelected(null);
      void invalidate();
      void message.success(t('departments.deleted'));
    },
    onError: (e) => reportError(e),
  });

  const openModal = (kind: 'create' | 'edit') => {
    form.resetFields();
    if (kind === 'edit' && selected) form.setFieldsValue({ name: selected.name, parent_id: selected.parent_id ?? null });
    if (kind === 'create') form.setFieldsValue({ parent_id: selected?.id ?? null });
    setModal(kind);
  };

  return (
    <Card title={t('departments.title')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => openModal('create')}>{t('departments.create')}</Button>}>
      <Row gutter={24}>
        <Col xs={24} md={10}>
          {tree.length > 0 ? (
            <Tree
              treeData={tree}
              defaultExpandAll
              blockNode
              selectedKeys={selected ? [selected.id] : []}
              onSelect={(keys) => setSelected(list.find((d) => d.id === keys[0]) ?? null)}
              aria-label={t('departments.title')}
            />
          ) : (
            <Empty />
          )}
        </Col>
        <Col xs={24} md={14}>
          {selected ? (
            <Space direction="vertical">
              <Typography.Title level={5}>{selected.name}</Typography.Title>
              <Typography.Text type="secondary">{t('departments.path')}: {(list.find((d) => d.id === selected.id) ?? selected).path_names}</Typography.Text>
              <Space>
                <Button onClick={() => openModal('edit')}>{t('common.edit')}</Button>
                <Popconfirm title={t('departments.deleteConfirm')} onConfirm={() => remove.mutate(selected.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
                  <Button danger>{t('common.delete')}</Button>
                </Popconfirm>
              </Space>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('departments.selectHint')}</Typography.Text>
          )}
        </Col>
      </Row>
      <Modal
        open={modal !== null}
        title={modal === 'edit' ? t('departments.edit') : t('departments.create')}
        onCancel={() => setModal(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form form={form} name="department" layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="parent_id" label={t('departments.parent')}>
            <DepartmentPicker allowClear placeholder={t('departments.topLevel')} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
