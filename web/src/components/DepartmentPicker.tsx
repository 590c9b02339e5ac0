import type { CSSProperties } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { departmentTree, useDepartments } from '../services/directory';

interface Props {
  /** The chosen department's id; Form.Item injects value, onChange and id. */
  value?: number | null;
  onChange?: (id: number | null) => void;
  allowClear?: boolean;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
}

/** A department chosen from the organisation tree, by name, with search. */
export default function DepartmentPicker({ value, onChange, allowClear, placeholder, disabled, id, style }: Props) {
  const { t } = useTranslation();
  const departments = useDepartments();
  return (
    <TreeSelect<number>
      id={id}
      style={style}
      value={value ?? undefined}
      onChange={(next) => onChange?.(typeof next === 'number' ? next : null)}
      treeData={departmentTree(departments.data?.items ?? [])}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      allowClear={allowClear}
      disabled={disabled}
      loading={departments.isLoading}
      placeholder={placeholder ?? t('departmentPicker.placeholder')}
      popupMatchSelectWidth={false}
    />
  );
}
