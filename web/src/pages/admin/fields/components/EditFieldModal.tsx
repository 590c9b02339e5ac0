import { useEffect } from 'react';
import { Alert, App, Col, Form, Input, InputNumber, Modal, Row, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import type { Entity, EntityField } from '../../../../api/types';
import { localized } from '../../../../services/entity';
import { editValues, patchField, toFieldPatch } from '../service';
import { SELECT_TYPES, TEXT_TYPES, type EditFieldValues } from '../types';
import OptionList from './OptionList';

interface Props {
  entity: Entity;
  field: EntityField | null;
  onClose: () => void;
}

/** Edits a field: its labels, and for a custom field whether it is required, its length limit and its options. */
export default function EditFieldModal({ entity, field, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditFieldValues>();
  useEffect(() => {
    if (!field) return;
    form.resetFields();
    form.setFieldsValue(editValues(field));
  }, [field, form]);
  const save = useMutation({
    mutationFn: ({ f, v }: { f: EntityField; v: EditFieldValues }) => patchField(entity, f.name, toFieldPatch(f, v)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['entity', entity.key] });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (e) => reportError(e, form),
  });
  const custom = field !== null && !field.builtin;
  return (
    <Modal
      open={field !== null}
      width={640}
      title={t('fields.editTitle', { label: field ? localized(field.label, i18n.language) : '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form form={form} name="editField" layout="vertical" onFinish={(v) => field && save.mutate({ f: field, v })}>
        {!custom && <Alert type="info" showIcon message={t('fields.builtinLabelOnly')} style={{ marginBottom: 16 }} />}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="label_zh" label={t('fields.labelZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="label_en" label={t('fields.labelEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        {custom && (
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="required" label={t('fields.required')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            {TEXT_TYPES.includes(field.type) && (
              <Col span={16}>
                <Form.Item name="max_length" label={t('fields.maxLength')} extra={t('fields.maxLengthHint')}>
                  <InputNumber min={1} max={10000} precision={0} style={{ width: 160 }} />
                </Form.Item>
              </Col>
            )}
          </Row>
        )}
        {custom && SELECT_TYPES.includes(field.type) && <OptionList />}
      </Form>
    </Modal>
  );
}
