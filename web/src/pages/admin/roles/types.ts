import type { DataScope } from '../../../api/types';

export interface RoleFormValues {
  key: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  scopes: Record<string, DataScope | undefined>;
}
