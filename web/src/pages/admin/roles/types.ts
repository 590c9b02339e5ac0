import type { DataScope, LocalizedName } from '../../../api/types';

export interface PermissionCatalogue {
  items?: { key: string; description: LocalizedName }[];
  scoped_entities?: string[];
  scopes?: DataScope[];
}

export interface RoleFormValues {
  key: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  scopes: Record<string, DataScope | undefined>;
}
