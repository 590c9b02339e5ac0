import { useState } from 'react';
import { App, Button, Card, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Switch, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../api/errors';
import type { Entity, EntityField } from '../../../api/types';
import { localized, useEntity } from '../../../services/entity';
import EditFieldModal from './components/EditFieldModal';
import OptionList from './components/OptionList';
import { addField, patchField } from './service';
import { FIELD_FORMATS, FIELD_TYPES, type NewFieldValues } from './types';

const ENTITY = 'customer';

export default function FieldsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const entity = useEntity(ENTITY);
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<EntityField | null>(null);
  const [form] = Form.useForm<NewFieldValues>();
  const type = Form.useWatch('type', form);
  const save = useMutation({
    mutationFn: (v: NewFieldValues) => addField(ENTITY, v),
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['entity', ENTITY] });
      void message.success(t('fields.added'));
    },
    onError: (e) => reportError(e, form),
  });
  // Archiving hides a custom field from forms and lists and keeps its data; restoring brings it back.
  const archive = useMutation({
    mutationFn: ({ of, f, archived }: { of: Entity; f: EntityField; archived: boolean }) => patchField(of, f.name, { archived }),
    onSuccess: (_saved, { archived }) => {
      void queryClient.invalidateQueries({ queryKey: ['entity', ENTITY] });
      void message.success(archived ? t('fields.archived') : t('fields.restored'));
    },
    onError: (e) => reportError(e),
  });
  const sections = (entity.data?.sections ?? []).map((s) => ({ value: s.key, label: localized(s.label, i18n.language) }));

  const columns: TableColumnsType<EntityField> = [
    { key: 'label', title: t('fields.label'), render: (_v, f) => localized(f.label, i18n.language) },
    { key: 'name', title: t('fields.name'), render: (_v, f) => <code>{f.name}</code> },
    { key: 'type', title: t('fields.type'), render: (_v, f) => t(`fields.types.${f.type}`, { defaultValue: f.type }) },
    { key: 'section', title: t('fields.section'), render: (_v, f) => sections.find((s) => s.value === f.section)?.label ?? f.section ?? '' },
    {
      key: 'flags',
      title: t('fields.flags'),
      render: (_v, f) => (
        <Space size={2} wrap>
          {f.builtin ? <Tag color="blue">{t('fields.builtin')}</Tag> : <Tag color="purple">{t('fields.custom')}</Tag>}
          {f.required && <Tag>{t('fields.required')}</Tag>}
          {f.sensitive && <Tag color="orange">{t('fields.sensitive')}</Tag>}
          {f.read_only && <Tag>{t('fields.readOnly')}</Tag>}
          {f.max_length ? <Tag>{t('fields.maxLengthTag', { max: f.max_length })}</Tag> : null}
          {f.archived && <Tag color="default">{t('fields.archivedTag')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_v, f) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(f)}>
            {t('common.edit')}
          </Button>
          {!f.builtin && (
            <Popconfirm
              title={f.archived ? t('fields.restoreConfirm') : t('fields.archiveConfirm')}
              onConfirm={() => entity.data && archive.mutate({ of: entity.data, f, archived: !f.archived })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button type="link" size="small" danger={!f.archived}>
                {f.archived ? t('fields.restore') : t('fields.archive')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('fields.title', { entity: localized(entity.data?.label, i18n.language) })}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setOpen(true); }}>
          {t('fields.add')}
        </Button>
      }
    >
      <Table<EntityField>
        rowKey="name"
        size="small"
        columns={columns}
        dataSource={entity.data?.fields ?? []}
        loading={entity.isLoading}
        pagination={false}
        onRow={(f) => ({ style: f.archived ? { opacity: 0.55 } : undefined })}
        data-testid="fields-table"
      />
      {entity.data && <EditFieldModal entity={entity.data} field={editing} onClose={() => setEditing(null)} />}
      <Modal
        open={open}
        width={640}
        title={t('fields.add')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form form={form} name="field" layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ type: 'text', format: 'none', required: false, sensitive: false }}>
          <Form.Item
            name="name"
            label={t('fields.name')}
            extra={t('fields.nameHint')}
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('fields.nameInvalid') },
            ]}
          >
            <Input />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="label_zh" label={t('fields.labelZh')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="label_en" label={t('fields.labelEn')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="type" label={t('fields.type')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select options={FIELD_TYPES.map((v) => ({ value: v, label: t(`fields.types.${v}`) }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="format" label={t('fields.format')}>
                <Select options={FIELD_FORMATS.map((v) => ({ value: v, label: t(`fields.formats.${v}`) }))} disabled={type !== 'text'} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="section" label={t('fields.section')}>
                <Select allowClear options={sections} />
              </Form.Item>
            </Col>
          </Row>
          <Space size="large">
            <Form.Item name="required" label={t('fields.required')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="sensitive" label={t('fields.sensitive')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          {(type === 'single_select' || type === 'multi_select') && (
            <OptionList />
          )}
        </Form>
      </Modal>
    </Card>
  );
}
