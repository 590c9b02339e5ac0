import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, http, setCsrfToken, setRequestLanguage, setUnauthorizedHandler } from './request';
import type { FormInstance } from 'antd';
import { describeError, fieldErrorsFor, reportError } from './errors';

function problem(status: number, body: object, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthorizedHandler(null);
});

describe('request', () => {
  it('sends the CSRF token and the language on state-changing requests only', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok');
    setRequestLanguage('en-US');
    await http.post('/api/v1/x', { a: 1 });
    await http.get('/api/v1/x');
    const postHeaders = fetchMock.mock.calls[0]?.[1]?.headers as Record<string, string>;
    const getHeaders = fetchMock.mock.calls[1]?.[1]?.headers as Record<string, string>;
    expect(postHeaders['X-CSRF-Token']).toBe('tok');
    expect(postHeaders['Accept-Language']).toBe('en-US');
    expect(getHeaders['X-CSRF-Token']).toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('same-origin');
  });

  it('turns a 422 problem into an ApiError with field errors', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        problem(422, {
          status: 422,
          code: 'validation_failed',
          detail: 'Invalid',
          request_id: 'r-1',
          errors: [
            { field: 'id_number', code: 'invalid_resident_id', message: 'bad check digit' },
            { field: 'id_number', code: 'x', message: 'second' },
            { field: 'phone', code: 'invalid_mobile', message: 'bad phone' },
          ],
        }),
      ),
    );
    const err = await http.post('/api/v1/customers', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const api = err as ApiError;
    expect(api.status).toBe(422);
    expect(api.requestId).toBe('r-1');
    expect(fieldErrorsFor(api)).toEqual([
      { name: 'id_number', errors: ['bad check digit', 'second'] },
      { name: 'phone', errors: ['bad phone'] },
    ]);
    expect(fieldErrorsFor(api, ['phone'])).toEqual([{ name: 'phone', errors: ['bad phone'] }]);
  });

  it('reads field errors listed as field_violations too', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        problem(422, { status: 422, code: 'invalid_argument', field_violations: [{ field: 'reason', code: 'too_short', message: 'at least 2' }] }),
      ),
    );
    const err = (await http.post('/api/v1/outbox/1/discard', {}).catch((e: unknown) => e)) as ApiError;
    expect(fieldErrorsFor(err)).toEqual([{ name: 'reason', errors: ['at least 2'] }]);
  });

  it('reads Retry-After on 429 and calls the 401 handler', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(problem(429, { status: 429, code: 'locked' }, { 'Retry-After': '900' })));
    const locked = (await http.post('/api/v1/auth/login', {}).catch((e: unknown) => e)) as ApiError;
    expect(locked.retryAfterSeconds).toBe(900);

    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    vi.stubGlobal('fetch', () => Promise.resolve(problem(401, { status: 401, code: 'unauthenticated' })));
    await http.get('/api/v1/customers').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await http.get('/api/v1/auth/me', undefined, { skipAuthRedirect: true }).catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('puts the request id into the notification text', () => {
    const d = describeError(new ApiError({ status: 500, code: 'internal', detail: 'Boom', request_id: 'abc' }));
    expect(d.description).toContain('Boom');
    expect(d.description).toContain('abc');
  });

  it('builds query strings without empty values', () => {
    expect(buildQuery({ q: 'a b', x: undefined, y: '', tags: ['vip', 'new'], n: 3 })).toBe('?q=a+b&tags=vip%2Cnew&n=3');
  });
});

describe('error messages', () => {
  const invalid = (field: string, message: string) =>
    new ApiError({ status: 422, code: 'invalid_argument', detail: '输入有误', errors: [{ field, code: 'invalid', message }] });

  it('name a field by the label the caller gives, not by its key', () => {
    const labels = (f: string) => (f === 'id_number' ? '证件号码' : undefined);
    const d = describeError(invalid('id_number', '身份证号码无效'), labels);
    expect(d.description).toContain('证件号码：身份证号码无效');
    expect(d.description).not.toContain('id_number');
  });

  it("name the API's request fields from the locale files, and an unknown field by its key", () => {
    expect(describeError(invalid('phone_tail', '应为 4 位数字')).description).toContain('手机尾号：应为 4 位数字');
    expect(describeError(invalid('x_custom', '无效')).description).toContain('x_custom：无效');
  });

  it('put a duplicate (409) under the field the form shows, as a 422', () => {
    const form = { getFieldsValue: () => ({ id_number: '110' }), setFields: vi.fn(), scrollToField: vi.fn() };
    const duplicate = new ApiError({
      status: 409,
      code: 'already_exists',
      errors: [{ field: 'id_number', code: 'duplicate', message: '该证件号码已登记为客户 张三（客户经理 李明）' }],
    });
    expect(reportError(duplicate, form as unknown as FormInstance)).toBe(true);
    expect(form.setFields).toHaveBeenCalledWith([{ name: 'id_number', errors: ['该证件号码已登记为客户 张三（客户经理 李明）'] }]);
  });
});
