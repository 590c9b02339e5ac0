import { describe, expect, it } from 'vitest';
import type { Department } from '../api/types';
import { departmentTree } from './directory';

const dept = (id: number, parent: number | null, name: string, path: string): Department => ({ id, parent_id: parent, name, path, path_names: name, version: 1 });
const list = [dept(1, null, '总行', '/1/'), dept(4, 1, '城东支行', '/1/4/'), dept(6, 4, '城东支行营销一组', '/1/4/6/')];

describe('departmentTree', () => {
  it('nests departments under their parents', () => {
    const tree = departmentTree(list);
    expect(tree.map((n) => n.title)).toEqual(['总行']);
    expect(tree[0]?.children[0]?.children[0]?.title).toBe('城东支行营销一组');
  });
});
