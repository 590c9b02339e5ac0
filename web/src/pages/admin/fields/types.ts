export const FIELD_TYPES = ['text', 'long_text', 'integer', 'decimal', 'money', 'percent', 'date', 'datetime', 'boolean', 'single_select', 'multi_select'] as const;
export const FIELD_FORMATS = ['none', 'mobile', 'email', 'resident_id', 'credit_code', 'bank_card', 'person_name'] as const;

export interface OptionRow {
  value: string;
  zh: string;
  en: string;
}

export interface NewFieldValues {
  name: string;
  label_zh: string;
  label_en: string;
  type: (typeof FIELD_TYPES)[number];
  format?: string;
  section?: string;
  required?: boolean;
  sensitive?: boolean;
  options?: OptionRow[];
}

/** The edit dialog's values; a built-in field shows the labels only. */
export interface EditFieldValues {
  label_zh: string;
  label_en: string;
  required?: boolean;
  max_length?: number | null;
  options?: OptionRow[];
}

/** The field types whose text has a length to limit. */
export const TEXT_TYPES: readonly string[] = ['text', 'long_text'];
export const SELECT_TYPES: readonly string[] = ['single_select', 'multi_select'];
