import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Space, Spin, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { EntityField } from '../../../api/types';
import { reportError } from '../../../api/errors';
import { activeFields, appliesTo, CUSTOMER_TYPES, entityLabeler, localized, useEntity, type CustomerType } from '../../../services/entity';
import FieldInput from './components/FieldInput';
import { pendingReasonRules, rulesFor } from './rules';
import { buildBody, changedBody, createCustomer, duplicateOf, getCustomer, initialValues, updateCustomer, type Duplicate } from './service';
import type { CustomerFormValues } from './types';

// The credit code's pending reason is asked for beside the credit code, not in its own place.
const PENDING_REASON = 'credit_code_pending_reason';
const HIDDEN = new Set(['type', PENDING_REASON]);

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export default function CustomerFormPage() {
  const { id } = useParams();
  const editing = id !== undefined;
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CustomerFormValues>();
  const [type, setType] = useState<CustomerType>('individual');
  const [saving, setSaving] = useState(false);
  // An enterprise may be registered before its credit code is known, saying why (统一社会信用代码待补).
  const [codePending, setCodePending] = useState(false);
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  const idempotencyKey = useRef(newKey());

  const entity = useEntity('customer');
  const existing = useQuery({ queryKey: ['customer', id, 'edit'], queryFn: () => getCustomer(id ?? ''), enabled: editing, staleTime: 0 });

  const sections = useMemo(() => {
    const fields = (entity.data ? activeFields(entity.data) : [])
      .filter((f) => !f.read_only && !HIDDEN.has(f.name) && appliesTo(f, type))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const known = entity.data?.sections ?? [];
    const groups = known.map((s) => ({ key: s.key, label: localized(s.label, i18n.language), fields: fields.filter((f) => f.section === s.key) }));
    const rest = fields.filter((f) => !known.some((s) => s.key === f.section));
    if (rest.length > 0) groups.push({ key: '_other', label: t('customers.form.otherSection'), fields: rest });
    return groups.filter((g) => g.fields.length > 0);
  }, [entity.data, type, i18n.language, t]);

  const initial = useMemo<CustomerFormValues>(
    () => (existing.data && entity.data ? initialValues(entity.data.fields, existing.data.data) : {}),
    [existing.data, entity.data],
  );

  useEffect(() => {
    const c = existing.data?.data;
    if (!c) return;
    setType(c.type === 'enterprise' ? 'enterprise' : 'individual');
    setCodePending(!c.credit_code && typeof c[PENDING_REASON] === 'string' && c[PENDING_REASON] !== '');
    form.setFieldsValue(initial);
  }, [existing.data, initial, form]);

  const pendingField = type === 'enterprise' && entity.data ? activeFields(entity.data).find((f) => f.name === PENDING_REASON) : undefined;
  const allFields = sections.flatMap((s) => s.fields);

  // Ticking "pending" makes the credit code optional: a "required" message shown for it goes.
  const ready = !(entity.isLoading || (editing && existing.isLoading));
  useEffect(() => {
    if (ready && form.getFieldError('credit_code').length > 0) void form.validateFields(['credit_code']).catch(() => undefined);
  }, [codePending, form, ready]);
  const bodyFields = pendingField ? [...allFields, pendingField] : allFields;
  const labeler = entityLabeler(entity.data, i18n.language);

  const onFinish = async (entered: CustomerFormValues) => {
    // A reason left from an earlier "pending" is no reason once the box is unticked.
    const values = pendingField ? { ...entered, [PENDING_REASON]: codePending ? entered[PENDING_REASON] : null } : entered;
    setSaving(true);
    try {
      if (editing && id) {
        const body = changedBody(bodyFields, initial, values);
        if (Object.keys(body).length === 0) {
          void message.info(t('customers.form.noChanges'));
          navigate(`/customers/${id}`);
          return;
        }
        await updateCustomer(id, body, existing.data?.etag ?? null);
        void queryClient.invalidateQueries({ queryKey: ['customer', id] });
        void queryClient.invalidateQueries({ queryKey: ['customers'] });
        void message.success(t('common.saved'));
        navigate(`/customers/${id}`);
      } else {
        const body = { type, ...buildBody(bodyFields, values) };
        const created = await createCustomer(body, idempotencyKey.current);
        void queryClient.invalidateQueries({ queryKey: ['customers'] });
        void message.success(t('customers.form.created'));
        navigate(`/customers/${created.id}`);
      }
    } catch (e) {
      // A rejected create may be retried with corrected data: that is a new request.
      idempotencyKey.current = newKey();
      setDuplicate(duplicateOf(e));
      reportError(e, form, labeler);
    } finally {
      setSaving(false);
    }
  };

  if (!ready) return <Spin />;

  const label = (f: EntityField) => localized(f.label, i18n.language);
  // Masked personal data, and a masked date that is no date, start empty over the stored value:
  // the placeholder shows what is kept when the field is left empty.
  const maskedValue = (f: EntityField): string | undefined => {
    const stored = existing.data?.data[f.name];
    return editing && initial[f.name] === undefined && typeof stored === 'string' && stored ? stored : undefined;
  };
  const keepPlaceholder = (f: EntityField) => {
    const masked = maskedValue(f);
    return masked === undefined ? undefined : t('customers.form.keepMasked', { value: masked });
  };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {editing ? t('customers.form.editTitle', { name: existing.data?.data.name ?? '' }) : t('customers.form.newTitle')}
        </Typography.Title>
      }
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        onValuesChange={(changed: CustomerFormValues) => {
          if (duplicate && duplicate.field in changed) setDuplicate(null);
        }}
        scrollToFirstError
        validateTrigger={['onChange', 'onBlur']}
      >
        <Form.Item label={t('customers.form.type')}>
          <Radio.Group
            value={type}
            disabled={editing}
            onChange={(e) => setType(e.target.value === 'enterprise' ? 'enterprise' : 'individual')}
            aria-label={t('customers.form.type')}
            optionType="button"
            options={CUSTOMER_TYPES.map((v) => ({ value: v, label: t(`customers.type.${v}`) }))}
          />
        </Form.Item>
        {sections.map((s) => (
          <section key={s.key} aria-label={s.label}>
            <Typography.Title level={5} style={{ marginTop: 8 }}>
              {s.label}
            </Typography.Title>
            <Row gutter={16}>
              {s.fields.map((f) => {
                const wide = f.type === 'long_text';
                const creditCode = f.name === 'credit_code' && type === 'enterprise';
                const required =
                  (Boolean(f.required) && !(editing && (f.sensitive || maskedValue(f) !== undefined))) || (creditCode && !codePending);
                return (
                  <Col key={f.name} xs={24} md={wide ? 24 : 12} xl={wide ? 24 : 8}>
                    <Form.Item
                      name={f.name}
                      label={label(f)}
                      rules={rulesFor(f, t, label(f), required, type)}
                      dependencies={f.name === 'id_number' ? ['id_type'] : undefined}
                      valuePropName={f.type === 'boolean' ? 'checked' : 'value'}
                      extra={duplicate?.field === f.name && duplicate.may_open ? <DuplicateLink duplicate={duplicate} /> : undefined}
                    >
                      <FieldInput field={f} placeholder={keepPlaceholder(f)} />
                    </Form.Item>
                    {creditCode && pendingField && (
                      <>
                        <Form.Item style={{ marginTop: -12 }}>
                          <Checkbox
                            checked={codePending}
                            onChange={(e) => setCodePending(e.target.checked)}
                          >
                            {t('customers.form.creditCodePending')}
                          </Checkbox>
                        </Form.Item>
                        {codePending && (
                          <Form.Item name={PENDING_REASON} label={label(pendingField)} rules={pendingReasonRules(pendingField, t, label(pendingField))}>
                            <Input.TextArea rows={2} maxLength={pendingField.max_length ?? 200} showCount placeholder={t('customers.form.creditCodePendingHint')} />
                          </Form.Item>
                        )}
                      </>
                    )}
                  </Col>
                );
              })}
            </Row>
          </section>
        ))}
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

/** Where the customer a duplicate ID number or credit code belongs to can be opened. */
function DuplicateLink({ duplicate }: { duplicate: Duplicate }) {
  const { t } = useTranslation();
  return <Link to={`/customers/${duplicate.existing_id}`}>{t('customers.form.openExisting', { name: duplicate.existing_name })}</Link>;
}
