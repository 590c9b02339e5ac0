// Users and departments, for pickers and for showing names instead of ids.
import { useQuery } from '@tanstack/react-query';
import { http } from '../api/request';
import type { Department, Page, User } from '../api/types';

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
