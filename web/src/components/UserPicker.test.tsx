import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { AssignableUser } from '../api/types';
import UserPicker from './UserPicker';

const liMing: AssignableUser = {
  id: 7,
  username: 'am.east',
  display_name: '李明',
  department: { id: 4, name: '华东分部', path_names: '总部 / 华东分部' },
  roles: [{ key: 'account_manager', name: '客户经理' }],
};

function json(body: object) {
  return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

function renderPicker(props: Parameters<typeof UserPicker>[0]) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <UserPicker {...props} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('UserPicker', () => {
  it('searches the assignable users by what is typed and offers them by name, department and role', async () => {
    const fetchMock = vi.fn((_url: string) => json({ items: [liMing] }));
    vi.stubGlobal('fetch', fetchMock);
    const onChange = vi.fn();
    const onPick = vi.fn();
    renderPicker({ onChange, onPick });
    const box = screen.getByRole('combobox');
    fireEvent.mouseDown(box);
    fireEvent.change(box, { target: { value: '李' } });
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => url === '/api/v1/users/assignable?q=%E6%9D%8E&limit=20')).toBe(true));
    await screen.findByText('总部 / 华东分部 · 客户经理');
    fireEvent.click(screen.getByText('李明'));
    expect(onChange).toHaveBeenCalledWith(7);
    expect(onPick).toHaveBeenCalledWith(liMing);
  });

  it('shows a known choice by name without asking the server', () => {
    const fetchMock = vi.fn(() => json({ items: [] }));
    vi.stubGlobal('fetch', fetchMock);
    renderPicker({ value: 7, known: [liMing] });
    expect(screen.getByText('李明')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
