import { useState } from 'react';
import { Button, Descriptions, Space, Tooltip } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Customer, Entity } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import FieldValue from '../../../../components/FieldValue';
import { activeFields, appliesTo, localized, type CustomerType } from '../../../../services/entity';
import { unmask } from '../service';

interface Props {
  customer: Customer;
  entity: Entity;
  canUnmask: boolean;
}

export default function ProfileTab({ customer, entity, canUnmask }: Props) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [plain, setPlain] = useState<Record<string, unknown>>({});
  const type: CustomerType = customer.type === 'enterprise' ? 'enterprise' : 'individual';
  const mutation = useMutation({
    mutationFn: (fields: string[]) => unmask(String(customer.id), fields),
    onSuccess: (data) => {
      setPlain((p) => ({ ...p, ...data }));
      // The header card shows some of the same fields (the phone, the ID number): it shows them plainly too.
      queryClient.setQueryData<Customer>(['customer', String(customer.id)], (old) => (old ? { ...old, ...data } : old));
    },
    onError: (e) => reportError(e),
  });

  const fields = activeFields(entity).filter((f) => appliesTo(f, type)).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const sections = (entity.sections ?? []).map((s) => ({ ...s, fields: fields.filter((f) => f.section === s.key) }));
  const other = fields.filter((f) => !(entity.sections ?? []).some((s) => s.key === f.section));
  if (other.length > 0) sections.push({ key: '_other', label: { 'zh-CN': t('customers.form.otherSection'), 'en-US': t('customers.form.otherSection') }, fields: other });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {sections
        .filter((s) => s.fields.length > 0)
        .map((s) => (
          <Descriptions key={s.key} title={localized(s.label, i18n.language)} bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            {s.fields.map((f) => {
              const masked = f.sensitive && !(f.name in plain);
              const value = f.name in plain ? plain[f.name] : customer[f.name];
              return (
                <Descriptions.Item key={f.name} label={localized(f.label, i18n.language)}>
                  <Space size={4}>
                    <span data-testid={`field-${f.name}`}>
                      {f.name === 'owner_id' && customer.owner_name
                        ? customer.owner_name
                        : f.name === 'department_id' && customer.department_name
                          ? customer.department_name
                          : <FieldValue field={f} value={value} />}
                    </span>
                    {masked && canUnmask && value !== null && value !== undefined && value !== '' && (
                      <Tooltip title={t('customers.unmaskHint')}>
                        <Button
                          size="small"
                          type="link"
                          icon={<EyeOutlined />}
                          loading={mutation.isPending && mutation.variables.includes(f.name)}
                          onClick={() => mutation.mutate([f.name])}
                          aria-label={t('customers.unmaskField', { field: localized(f.label, i18n.language) })}
                        >
                          {t('customers.unmask')}
                        </Button>
                      </Tooltip>
                    )}
                  </Space>
                </Descriptions.Item>
              );
            })}
          </Descriptions>
        ))}
    </Space>
  );
}
