import { useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag } from 'antd';
import type { FormRule, TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Relation } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import { useFormat } from '../../../../services/formatting';
import { checkResidentId } from '../../../../utils/validators';
import { addRelation, listRelations, removeRelation, searchCustomers, toRelationInput } from '../service';
import { RELATION_ROLES, SHAREHOLDER, type RelationForm } from '../types';

interface Props {
  customerId: string;
  canWrite: boolean;
}

// A share is a percentage of the company with at most two decimals (as the server stores it).
const SHARE = /^\d{1,3}(\.\d{1,2})?$/;

export default function RelationsTab({ customerId, canWrite }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<RelationForm>();
  const mode = Form.useWatch('mode', form);
  const role = Form.useWatch('role', form);
  const relations = useQuery({ queryKey: ['customer', customerId, 'relations'], queryFn: () => listRelations(customerId) });
  const candidates = useQuery({
    queryKey: ['customers', 'search', search],
    queryFn: () => searchCustomers(search),
    enabled: open && mode === 'customer' && search.trim().length > 0,
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
  const roleName = (r: string) => t(`relations.roles.${r}`, { defaultValue: r });
  const add = useMutation({
    mutationFn: (v: RelationForm) => addRelation(customerId, toRelationInput(v)),
    onSuccess: (_saved, v) => {
      setOpen(false);
      form.resetFields();
      void invalidate();
      void message.success(t('relations.added', { role: roleName(v.role) }));
    },
    onError: (e) => reportError(e, form),
  });
  const remove = useMutation({
    mutationFn: (rid: number) => removeRelation(customerId, rid),
    onSuccess: () => {
      void invalidate();
      void message.success(t('relations.removed'));
    },
    onError: (e) => reportError(e),
  });

  const items = relations.data?.items ?? [];
  const columns: TableColumnsType<Relation> = [
    { key: 'role', title: t('relations.role'), width: 120, render: (_v, r) => <Tag>{roleName(r.role)}</Tag> },
    {
      key: 'direction',
      title: t('relations.direction'),
      width: 140,
      render: (_v, r) => t(`relations.directions.${r.direction ?? 'outgoing'}`),
    },
    {
      key: 'name',
      title: t('relations.counterpart'),
      ellipsis: true,
      render: (_v, r) =>
        r.counterpart.customer_id ? <Link to={`/customers/${r.counterpart.customer_id}`}>{r.counterpart.name ?? `#${r.counterpart.customer_id}`}</Link> : r.counterpart.name,
    },
    { key: 'phone', title: t('relations.phone'), width: 140, render: (_v, r) => r.counterpart.phone ?? '' },
    { key: 'id_number', title: t('relations.idNumber'), width: 190, render: (_v, r) => r.counterpart.id_number ?? '' },
  ];
  // The share column is there only when a shareholder is.
  if (items.some((r) => r.role === SHAREHOLDER)) {
    columns.push({ key: 'share', title: t('relations.share'), width: 100, render: (_v, r) => (r.role === SHAREHOLDER ? format.percent(r.share_percent) : '') });
  }
  columns.push({ key: 'note', title: t('relations.note'), dataIndex: 'note', ellipsis: true });
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      render: (_v, r) => (
        <Popconfirm title={t('relations.removeConfirm')} onConfirm={() => remove.mutate(r.id)} okText={t('common.ok')} cancelText={t('common.cancel')}>
          <Button type="link" danger size="small">
            {t('common.remove')}
          </Button>
        </Popconfirm>
      ),
    });
  }

  const idNumberRule: FormRule = {
    validator: (_r, value: unknown) => {
      if (typeof value !== 'string' || value.trim() === '') return Promise.resolve();
      const checked = checkResidentId(value.trim());
      return checked.ok ? Promise.resolve() : Promise.reject(new Error(t(`validation.residentId.${checked.code}`)));
    },
  };
  const shareRule: FormRule = {
    validator: (_r, value: unknown) => {
      if (typeof value !== 'string' || value.trim() === '') return Promise.resolve();
      const v = value.trim();
      return SHARE.test(v) && Number(v) <= 100 ? Promise.resolve() : Promise.reject(new Error(t('relations.shareInvalid')));
    },
  };

  return (
    <>
      {canWrite && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setOpen(true)}>
          {t('relations.add')}
        </Button>
      )}
      <Table<Relation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={relations.isLoading}
        pagination={false}
        tableLayout="fixed"
        data-testid="relations-table"
      />
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
            <Select options={RELATION_ROLES.map((r) => ({ value: r, label: roleName(r) }))} />
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
            <>
              <Space.Compact block style={{ display: 'flex', gap: 12 }}>
                <Form.Item name="person_name" label={t('relations.personName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]} style={{ flex: 1 }}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="person_phone" label={t('relations.phone')} style={{ flex: 1 }}>
                  <Input maxLength={20} />
                </Form.Item>
              </Space.Compact>
              <Form.Item name="person_id_number" label={t('relations.idNumber')} rules={[idNumberRule]} validateTrigger={['onChange', 'onBlur']}>
                <Input maxLength={32} placeholder={t('relations.idNumberHint')} />
              </Form.Item>
            </>
          )}
          {role === SHAREHOLDER && (
            <Form.Item name="share_percent" label={t('relations.share')} rules={[shareRule]}>
              <Input suffix="%" inputMode="decimal" maxLength={6} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('relations.note')}>
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
