import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EntityField } from '../../../../api/types';
import { localized } from '../../../../services/entity';

interface Props {
  field: EntityField;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
}

/** The antd control for one metadata field type. Form.Item injects value/onChange/id. */
export default function FieldInput({ field, placeholder, disabled, ...rest }: Props) {
  const { i18n } = useTranslation();
  const options = (field.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, i18n.language) }));
  const common = { ...rest, disabled, placeholder };
  switch (field.type) {
    case 'long_text':
      return <Input.TextArea {...common} rows={3} maxLength={field.max_length ?? undefined} showCount={Boolean(field.max_length)} />;
    case 'integer':
      return <InputNumber {...common} precision={0} style={{ width: '100%' }} />;
    case 'money':
      // Text, not a number box: the number box silently rounds 1.005 to 1.01, clamps -5 to 0, drops
      // full-width digits and reads "1,00,000" as 100000 and "5%" as 5, where the server refuses
      // or folds. The field's rule checks the amount as the server parses it.
      return <Input {...common} allowClear inputMode="decimal" />;
    case 'decimal':
    case 'percent':
      return <InputNumber<string> {...common} stringMode style={{ width: '100%' }} />;
    case 'date':
      return <DatePicker {...common} style={{ width: '100%' }} />;
    case 'datetime':
      return <DatePicker {...common} showTime style={{ width: '100%' }} />;
    case 'boolean':
      return <Switch {...rest} disabled={disabled} />;
    case 'single_select':
      return <Select {...common} allowClear showSearch optionFilterProp="label" options={options} />;
    case 'multi_select':
      return <Select {...common} mode="multiple" allowClear optionFilterProp="label" options={options} />;
    default:
      return <Input {...common} allowClear maxLength={field.max_length ?? undefined} />;
  }
}
