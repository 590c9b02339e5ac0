// Roles and permissions, for showing names instead of keys. Their lists (GET /api/v1/roles and
// /api/v1/permissions) need role.admin, which the system administrator does not hold (三权分立):
// without it the built-in roles and the permissions that need a second administrator are named
// from the locale files, and any other key is shown as it is.
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { http } from '../api/request';
import type { Page, PermissionCatalogue, Role } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { localized } from './entity';

export const BUILTIN_ROLES = [
  'admin',
  'security_admin',
  'auditor',
  'account_manager',
  'risk_officer',
  'department_manager',
  'finance',
  'general_manager',
] as const;

// The permissions whose grant waits for a second administrator. The server decides; this only
// labels them, and names them for those who cannot read the permission catalogue.
const DUAL_CONTROL_PERMISSIONS = ['pii.unmask', 'audit.read', 'role.admin'] as const;

const has = (list: readonly string[], key: string) => list.includes(key);

export function needsSecondApproval(permission: string): boolean {
  return has(DUAL_CONTROL_PERMISSIONS, permission);
}

export function useRoles(enabled: boolean) {
  return useQuery({ queryKey: ['roles'], queryFn: () => http.get<Page<Role>>('/api/v1/roles'), enabled });
}

export function usePermissionCatalogue(enabled: boolean) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => http.get<PermissionCatalogue>('/api/v1/permissions'),
    enabled,
    staleTime: 60_000,
  });
}

/** A role's name: from the role list when there is one, else the built-in name, else the key. */
export function roleName(key: string, roles: readonly Role[] | undefined, language: string, t: TFunction): string {
  const role = roles?.find((r) => r.key === key);
  if (role) return localized(role.name, language) || key;
  return has(BUILTIN_ROLES, key) ? t(`roleNames.${key}`) : key;
}

/** A permission's description: from the catalogue when there is one, else the locale files, else the key. */
export function permissionName(key: string, catalogue: PermissionCatalogue | undefined, language: string, t: TFunction): string {
  const description = catalogue?.items?.find((p) => p.key === key)?.description;
  if (description) return localized(description, language) || key;
  return needsSecondApproval(key) ? t(`permissionNames.${key}`) : key;
}

/** Names roles the best the current user can; `keys` are the roles one may pick from. */
export function useRoleNames() {
  const { can } = useAuth();
  const { t, i18n } = useTranslation();
  const roles = useRoles(can('role.admin'));
  const items = roles.data?.items;
  return {
    roleName: (key: string) => roleName(key, items, i18n.language, t),
    keys: [...new Set([...(items ?? []).map((r) => r.key), ...BUILTIN_ROLES])],
  };
}

export function usePermissionNames(): (key: string) => string {
  const { can } = useAuth();
  const { t, i18n } = useTranslation();
  const catalogue = usePermissionCatalogue(can('role.admin'));
  return (key) => permissionName(key, catalogue.data, i18n.language, t);
}

/** Names in a sentence: "风控专员和审计员", "Risk officer and Auditor". */
export function listOf(names: readonly string[], language: string): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(names);
}
