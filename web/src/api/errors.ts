// The one request-error policy.
// 422 with field errors → each message under its field in the form;
// anything else → a notification with the message and the request id. 401 is handled
// in request.ts (back to the login page).
import type { FormInstance } from 'antd';
import type { NotificationInstance } from 'antd/es/notification/interface';
import i18n from '../i18n';
import { ApiError } from './request';

let notifier: NotificationInstance | null = null;

export function setNotifier(n: NotificationInstance | null): void {
  notifier = n;
}

export interface FormFieldData {
  name: string;
  errors: string[];
}

/** Groups server field errors by field, keeping only fields the form knows about. */
export function fieldErrorsFor(error: ApiError, knownFields?: readonly string[]): FormFieldData[] {
  const byField = new Map<string, string[]>();
  for (const e of error.fieldErrors) {
    if (!e.field) continue;
    if (knownFields && !knownFields.includes(e.field)) continue;
    const list = byField.get(e.field) ?? [];
    list.push(e.message);
    byField.set(e.field, list);
  }
  return [...byField.entries()].map(([name, errors]) => ({ name, errors }));
}

export interface ErrorMessage {
  title: string;
  description: string;
}

export function describeError(error: unknown): ErrorMessage {
  if (error instanceof ApiError) {
    const parts = [error.problem.detail ?? error.problem.title ?? error.problem.code];
    const unplaced = error.fieldErrors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
    if (unplaced.length > 0) parts.push(unplaced.join('; '));
    if (error.requestId) parts.push(i18n.t('error.requestId', { id: error.requestId }));
    return {
      title: error.status === 0 ? i18n.t('error.network') : i18n.t('error.title', { status: error.status }),
      description: parts.join('\n'),
    };
  }
  return { title: i18n.t('error.unexpected'), description: error instanceof Error ? error.message : String(error) };
}

/**
 * Reports a failed request. With a form and a 422 carrying field errors for fields the form
 * shows, the messages go under those fields and nothing else is shown. Returns true when the
 * error was placed on the form.
 */
export function reportError(error: unknown, form?: FormInstance): boolean {
  if (error instanceof ApiError && error.status === 401) return false;
  if (form && error instanceof ApiError && error.status === 422) {
    const registered = Object.keys(form.getFieldsValue() as Record<string, unknown>);
    const placed = fieldErrorsFor(error, registered);
    if (placed.length > 0) {
      form.setFields(placed);
      const first = placed[0];
      if (first) form.scrollToField(first.name);
      return true;
    }
  }
  const { title, description } = describeError(error);
  if (notifier) {
    notifier.error({ message: title, description, duration: 8, style: { whiteSpace: 'pre-line' } });
  } else {
    console.warn(title, description);
  }
  return false;
}
