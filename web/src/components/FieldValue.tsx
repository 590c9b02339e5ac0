import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EntityField } from '../api/types';
import { optionLabel } from '../services/entity';
import { useFormat } from '../services/formatting';
import RiskTag from './RiskTag';

/** Shows one field value the way its type says: options by label, tags as tags, money and times as lenders read them. */
export default function FieldValue({ field, value }: { field: EntityField | undefined; value: unknown }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  if (value === null || value === undefined || value === '') return <span aria-hidden>—</span>;
  if (!field) return <>{String(value)}</>;
  if (field.name === 'risk_level') return <RiskTag value={value} label={optionLabel(field, value, i18n.language)} />;
  switch (field.type) {
    case 'multi_select':
      return (
        <>
          {(Array.isArray(value) ? value : [value]).map((v) => (
            <Tag key={String(v)}>{optionLabel(field, v, i18n.language)}</Tag>
          ))}
        </>
      );
    case 'single_select':
      return <>{optionLabel(field, value, i18n.language)}</>;
    case 'boolean':
      return <>{value === true ? t('common.yes') : t('common.no')}</>;
    case 'datetime':
      return <>{format.dateTime(String(value))}</>;
    case 'date':
      return <>{format.date(String(value))}</>;
    case 'money':
      return <>{format.money(String(value))}</>;
    case 'percent':
      return <>{format.percent(String(value))}</>;
    default:
      return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
  }
}
