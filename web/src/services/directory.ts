// Users and departments, for pickers and for showing names instead of ids.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { http } from '../api/request';
import type { AssignableUserList, Department, Page, User } from '../api/types';

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => http.get<Page<Department>>('/api/v1/departments'),
    enabled,
    staleTime: 60_000,
  });
}

export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => http.get<Page<User>>('/api/v1/users', { limit: 200 }),
    enabled,
    staleTime: 60_000,
  });
}

export const ASSIGNABLE_LIMIT = 20;

/**
 * The users one may hand customers to whose name or username starts with `q` (all of them, the
 * first ASSIGNABLE_LIMIT, for an empty `q`): active holders of customer.write within the caller's
 * customer scope, the caller included.
 */
export function useAssignableUsers(q: string, enabled = true) {
  const prefix = q.trim();
  return useQuery({
    queryKey: ['users', 'assignable', prefix],
    queryFn: () => http.get<AssignableUserList>('/api/v1/users/assignable', { q: prefix, limit: ASSIGNABLE_LIMIT }),
    enabled,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export interface TreeNode {
  title: string;
  value: number;
  key: number;
  children: TreeNode[];
}

/** Builds a tree from the flat department list (parent_id links). */
export function departmentTree(list: readonly Department[]): TreeNode[] {
  const nodes = new Map<number, TreeNode>();
  for (const d of list) nodes.set(d.id, { title: d.name, value: d.id, key: d.id, children: [] });
  const roots: TreeNode[] = [];
  for (const d of list) {
    const node = nodes.get(d.id);
    if (!node) continue;
    const parent = d.parent_id !== null && d.parent_id !== undefined ? nodes.get(d.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
