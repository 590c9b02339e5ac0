import { useState } from 'react';
import { Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Relation } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import { addRelation, listRelations, removeRelation, searchCustomers } from '../service';
import { RELATION_ROLES, type RelationInput } from '../types';

interface Props {
  customerId: string;
  canWrite: boolean;
}

interface RelationForm extends RelationInput {
  mode: 'customer' | 'person';
}

export default function RelationsTab({ customerId, canWrite }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<RelationForm>();
  const mode = Form.useWatch('mode', form);
  const relations = useQuery({ queryKey: ['customer', customerId, 'relations'], queryFn: () => listRelations(customerId) });
  const candidates = useQuery({
    queryKey: ['customers', 'search', search],
    queryFn: () => searchCustomers(search),
    enabled: open && mode === 'customer' && search.trim().length > 0,
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
  const add = useMutation({
    mutationFn: (v: RelationForm) => {
      const { mode: m, ...rest } = v;
      const input: RelationInput =
        m === 'customer'
          ? { role: rest.role, related_customer_id: rest.related_customer_id, share_percent: rest.share_percent || undefined, note: rest.note || undefined }
          : { role: rest.role, person_name: rest.person_name, person_phone: rest.person_phone || undefined, share_percent: rest.share_percent || undefined, note: rest.note || undefined };
      return addRelation(customerId, input);
    },
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      void invalidate();
    },
    onError: (e) => reportError(e, form),
  });
  const remove = useMutation({
    mutationFn: (rid: number) => removeRelation(customerId, rid),
    onSuccess: () => void invalidate(),
    onError: (e) => reportError(e),
  });

  const columns: TableColumnsType<Relation> = [
    { key: 'role', title: t('relations.role'), render: (_v, r) => <Tag>{t(`relations.roles.${r.role}`, { defaultValue: r.role })}</Tag> },
    {
      key: 'direction',
      title: t('relations.direction'),
      render: (_v, r) => t(`relations.directions.${r.direction ?? 'outgoing'}`),
    },
    {
      key: 'name',
      title: t('relations.counterpart'),
      render: (_v, r) =>
        r.counterpart.customer_id ? <Link to={`/customers/${r.counterpart.customer_id}`}>{r.counterpart.name ?? `#${r.counterpart.customer_id}`}</Link> : r.counterpart.name,
    },
    { key: 'phone', title: t('relations.phone'), render: (_v, r) => r.counterpart.phone ?? '' },
    { key: 'share', title: t('relations.share'), render: (_v, r) => (r.share_percent ? `${r.share_percent}%` : '') },
    { key: 'note', title: t('relations.note'), dataIndex: 'note' },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_v, r) => (
        <Popconfirm title={t('relations.removeConfirm')} onConfirm={() => remove.mutate(r.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
          <Button type="link" danger size="small">
            {t('common.remove')}
          </Button>
        </Popconfirm>
      ),
    });
  }

  return (
    <>
      {canWrite && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setOpen(true)}>
          {t('relations.add')}
        </Button>
      )}
      <Table<Relation> rowKey="id" size="small" columns={columns} dataSource={relations.data?.items ?? []} loading={relations.isLoading} pagination={false} />
      <Modal
        open={open}
        title={t('relations.add')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={add.isPending}
        destroyOnHidden
      >
        <Form form={form} name="relation" layout="vertical" initialValues={{ mode: 'person' }} onFinish={(v) => add.mutate(v)}>
          <Form.Item name="role" label={t('relations.role')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={RELATION_ROLES.map((r) => ({ value: r, label: t(`relations.roles.${r}`) }))} />
          </Form.Item>
          <Form.Item name="mode" label={t('relations.kind')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'person', label: t('relations.person') },
                { value: 'customer', label: t('relations.existingCustomer') },
              ]}
            />
          </Form.Item>
          {mode === 'customer' ? (
            <Form.Item name="related_customer_id" label={t('relations.customer')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select
                showSearch
                filterOption={false}
                onSearch={setSearch}
                placeholder={t('relations.searchCustomer')}
                options={(candidates.data?.items ?? []).filter((c) => String(c.id) !== customerId).map((c) => ({ value: c.id, label: c.name }))}
                notFoundContent={null}
              />
            </Form.Item>
          ) : (
            <Space.Compact block style={{ display: 'flex', gap: 12 }}>
              <Form.Item name="person_name" label={t('relations.personName')} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: 1 }}>
                <Input />
              </Form.Item>
              <Form.Item name="person_phone" label={t('relations.phone')} style={{ flex: 1 }}>
                <Input />
              </Form.Item>
            </Space.Compact>
          )}
          <Form.Item name="share_percent" label={t('relations.share')}>
            <Input suffix="%" />
          </Form.Item>
          <Form.Item name="note" label={t('relations.note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
