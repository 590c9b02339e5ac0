import type { QueryClient } from '@tanstack/react-query';
import { http } from '../api/request';
import type { Page } from '../api/types';
import type { LiveMessage, LiveReady } from '../services/live';
import { refreshTodoViews } from '../pages/todos/service';
import type { BusinessDate, Notification } from './types';

/** How many notifications the bell's list shows. */
export const LATEST_NOTIFICATIONS = 10;

export const listNotifications = (limit = LATEST_NOTIFICATIONS) => http.get<Page<Notification>>('/api/v1/notifications', { limit });
export const markNotificationRead = (id: number) => http.post<Notification>(`/api/v1/notifications/${id}/read`, {});
export const markAllNotificationsRead = () => http.post<{ marked: number }>('/api/v1/notifications/read-all', {});
/** The business date; readable by every signed-in user. */
export const getBusinessDate = () => http.get<BusinessDate>('/api/v1/business-date');

/** Refetches the bell's list and the unread count (which comes with the to-do counts). */
export function refreshNotificationViews(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'notifications' || q.queryKey[0] === 'todo-counts' });
}

/**
 * What a live event makes stale: to-do events the to-do views, notification events the bell, and
 * a stream that could not resume everything the app has loaded.
 */
export function onLiveMessage(queryClient: QueryClient, message: LiveMessage): void {
  if (message.type.startsWith('todo.')) void refreshTodoViews(queryClient);
  else if (message.type.startsWith('notification.')) void refreshNotificationViews(queryClient);
  else if (message.type === 'ready' && !(message.data as LiveReady).resumed) void queryClient.invalidateQueries();
}
