import { describe, expect, it } from 'vitest';
import type { Department } from '../api/types';
import { departmentPathNames, departmentTree } from './directory';

const dept = (id: number, parent: number | null, name: string, path: string): Department => ({ id, parent_id: parent, name, path, version: 1 });
const list = [dept(1, null, '总行', '/1/'), dept(4, 1, '城东支行', '/1/4/'), dept(6, 4, '城东支行营销一组', '/1/4/6/')];

describe('departmentPathNames', () => {
  it("takes the server's names when it gives them", () => {
    expect(departmentPathNames({ ...dept(4, 1, '城东支行', '/1/4/'), path_names: '总行 / 城东支行' }, list)).toBe('总行 / 城东支行');
  });
  it('names the ids along the path from the department list otherwise', () => {
    expect(departmentPathNames(dept(6, 4, '城东支行营销一组', '/1/4/6/'), list)).toBe('总行 / 城东支行 / 城东支行营销一组');
  });
  it('shows an id it cannot name as a number, never the raw path', () => {
    expect(departmentPathNames(dept(9, 8, '新部门', '/8/9/'), list)).toBe('#8 / #9');
  });
});

describe('departmentTree', () => {
  it('nests departments under their parents', () => {
    const tree = departmentTree(list);
    expect(tree.map((n) => n.title)).toEqual(['总行']);
    expect(tree[0]?.children[0]?.children[0]?.title).toBe('城东支行营销一组');
  });
});
