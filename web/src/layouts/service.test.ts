import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { getBusinessDate, listNotifications, markAllNotificationsRead, markNotificationRead, onLiveMessage } from './service';

afterEach(() => vi.unstubAllGlobals());

function staleAfter(type: string, data: unknown = {}): string[] {
  const client = new QueryClient();
  for (const key of [['todos', 'open'], ['todo-counts'], ['notifications', 'latest'], ['customer', '5', 'timeline'], ['customers', {}]]) {
    client.setQueryData(key, {});
  }
  onLiveMessage(client, { type, id: '1', data });
  return client
    .getQueryCache()
    .getAll()
    .filter((q) => q.isStale())
    .map((q) => String(q.queryKey[0]))
    .sort();
}

describe('onLiveMessage', () => {
  it('refetches the to-do views on a to-do event', () => {
    expect(staleAfter('todo.completed')).toEqual(['customer', 'todo-counts', 'todos']);
  });
  it('refetches the bell and its count on a notification event', () => {
    expect(staleAfter('notification.created')).toEqual(['notifications', 'todo-counts']);
  });
  it('refetches everything when the stream could not resume, and nothing when it did', () => {
    expect(staleAfter('ready', { position: 3, resumed: false })).toHaveLength(5);
    expect(staleAfter('ready', { position: 3, resumed: true })).toEqual([]);
  });
});

describe('the top bar requests', () => {
  it('ask for the latest notifications, mark one or all read and read the business date', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    await listNotifications();
    await markNotificationRead(4);
    await markAllNotificationsRead();
    await getBusinessDate();
    expect(fetchMock.mock.calls.map((c) => `${c[1]?.method} ${String(c[0])}`)).toEqual([
      'GET /api/v1/notifications?limit=10',
      'POST /api/v1/notifications/4/read',
      'POST /api/v1/notifications/read-all',
      'GET /api/v1/business-date',
    ]);
  });
});
