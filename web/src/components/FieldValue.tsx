import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { EntityField } from '../api/types';
import { optionLabel } from '../services/entity';
import RiskTag from './RiskTag';

/** Shows one field value the way its type says: options by label, tags as tags, times local. */
export default function FieldValue({ field, value }: { field: EntityField | undefined; value: unknown }) {
  const { t, i18n } = useTranslation();
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
      return <>{dayjs(String(value)).format('YYYY-MM-DD HH:mm')}</>;
    default:
      return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
  }
}
