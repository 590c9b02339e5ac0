// The one request module: every call to the server goes through here.
// It sends the session cookie, the CSRF token on state-changing requests and the UI language,
// and turns problem+json answers into ApiError.

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  request_id?: string;
  errors?: FieldError[];
  /** The runtime's endpoints name the list as the domain does; the same entries as `errors`. */
  field_violations?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfterSeconds: number | null;

  constructor(problem: Problem, retryAfterSeconds: number | null = null) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get requestId(): string | undefined {
    return this.problem.request_id;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? this.problem.field_violations ?? [];
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not run the global 401 handler (login and session probe). */
  skipAuthRedirect?: boolean;
}

export interface ResponseWithMeta<T> {
  data: T;
  etag: string | null;
}

interface ClientState {
  csrfToken: string | null;
  language: string;
  onUnauthorized: (() => void) | null;
}

const state: ClientState = { csrfToken: null, language: 'zh-CN', onUnauthorized: null };

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}
export function setRequestLanguage(language: string): void {
  state.language = language;
}
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  state.onUnauthorized = handler;
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function parseProblem(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const p = parsed as Partial<Problem>;
      return {
        ...p,
        status: typeof p.status === 'number' ? p.status : response.status,
        code: typeof p.code === 'string' ? p.code : 'http_error',
        request_id: p.request_id ?? response.headers.get('X-Request-Id') ?? undefined,
      };
    }
  } catch {
    // not JSON: fall through
  }
  return {
    status: response.status,
    code: 'http_error',
    detail: text || response.statusText,
    request_id: response.headers.get('X-Request-Id') ?? undefined,
  };
}

export async function requestWithMeta<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ResponseWithMeta<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': state.language,
    ...options.headers,
  };
  const upper = method.toUpperCase();
  if (UNSAFE.has(upper) && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(`${path}${buildQuery(options.query)}`, {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (!response.ok) {
    const problem = await parseProblem(response);
    const retry = response.headers.get('Retry-After');
    const error = new ApiError(problem, retry !== null && retry !== '' ? Number(retry) : null);
    if (response.status === 401 && !options.skipAuthRedirect && state.onUnauthorized) {
      state.onUnauthorized();
    }
    throw error;
  }
  const etag = response.headers.get('ETag');
  if (response.status === 204) return { data: undefined as T, etag };
  const text = await response.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, etag };
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithMeta<T>(method, path, options)).data;
}

export const http = {
  get: <T>(path: string, query?: Record<string, QueryValue>, extra?: Omit<RequestOptions, 'query'>) =>
    request<T>('GET', path, { ...extra, query }),
  post: <T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...extra, body }),
  put: <T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'body'>) =>
    request<T>('PUT', path, { ...extra, body }),
  patch: <T>(path: string, body?: unknown, extra?: Omit<RequestOptions, 'body'>) =>
    request<T>('PATCH', path, { ...extra, body }),
  del: <T>(path: string, extra?: RequestOptions) => request<T>('DELETE', path, extra),
};
