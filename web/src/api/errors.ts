// The one request-error policy.
// 422 (or 409, a duplicate) with field errors → each message under its field in the form;
// anything else → a notification with the message and the request id, fields named by their
// labels, never their keys. 401 is handled in request.ts (back to the login page).
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

/** A field's label for the reader ("证件号码" for id_number); undefined when the caller knows none. */
export type FieldLabeler = (field: string) => string | undefined;

/**
 * The label a message names a field by: the caller's (an entity's labels, say), else the one the
 * locale files keep for the API's request fields, else the key itself.
 */
export function fieldLabel(field: string, labeler?: FieldLabeler): string {
  const known = labeler?.(field);
  if (known) return known;
  const key = `fieldLabels.${field}`;
  return i18n.exists(key) ? i18n.t(key) : field;
}

export interface ErrorMessage {
  title: string;
  description: string;
}

export function describeError(error: unknown, labeler?: FieldLabeler): ErrorMessage {
  if (error instanceof ApiError) {
    const parts = [error.problem.detail ?? error.problem.title ?? error.problem.code];
    const unplaced = error.fieldErrors.map((e) =>
      e.field ? i18n.t('error.fieldMessage', { field: fieldLabel(e.field, labeler), message: e.message }) : e.message,
    );
    if (unplaced.length > 0) parts.push(unplaced.join('; '));
    if (error.requestId) parts.push(i18n.t('error.requestId', { id: error.requestId }));
    return {
      title: error.status === 0 ? i18n.t('error.network') : i18n.t('error.title', { status: error.status }),
      description: parts.join('\n'),
    };
  }
  return { title: i18n.t('error.unexpected'), description: error instanceof Error ? error.message : String(error) };
}

// A 409 that names a field (a duplicate ID number) is about what was typed there, as a 422 is.
const FIELD_STATUSES = new Set([409, 422]);

/**
 * Reports a failed request. With a form and a 422 or 409 carrying field errors for fields the
 * form shows, the messages go under those fields and nothing else is shown; otherwise a
 * notification names the fields by `labeler`'s labels. Returns true when the error was placed on
 * the form.
 */
export function reportError(error: unknown, form?: FormInstance, labeler?: FieldLabeler): boolean {
  if (error instanceof ApiError && error.status === 401) return false;
  if (form && error instanceof ApiError && FIELD_STATUSES.has(error.status)) {
    const registered = Object.keys(form.getFieldsValue() as Record<string, unknown>);
    const placed = fieldErrorsFor(error, registered);
    if (placed.length > 0) {
      form.setFields(placed);
      const first = placed[0];
      if (first) form.scrollToField(first.name);
      return true;
    }
  }
  const { title, description } = describeError(error, labeler);
  if (notifier) {
    notifier.error({ message: title, description, duration: 8, style: { whiteSpace: 'pre-line' } });
  } else {
    console.warn(title, description);
  }
  return false;
}
