import { afterEach, describe, expect, it, vi } from 'vitest';
import { canDiscard, canRetry, discardDelivery, getDelivery, listDeliveries, prettyPayload, reasonProblem, retryDelivery, toOutboxQuery } from './service';
import { DELIVERY_STATUSES } from './types';

afterEach(() => vi.unstubAllGlobals());

describe('the outbox requests', () => {
  it('filter by status and consumer, read one, retry and discard with the reason', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    await listDeliveries(toOutboxQuery({ status: 'dead', consumer: ' notify.sms ' }));
    await listDeliveries(toOutboxQuery({ consumer: ' ' }), 'c9');
    await getDelivery(5);
    await retryDelivery(5);
    await discardDelivery(5, '短信通道已下线');
    expect(fetchMock.mock.calls.map((c) => `${c[1]?.method} ${String(c[0])}`)).toEqual([
      'GET /api/v1/outbox?status=dead&consumer=notify.sms&limit=50',
      'GET /api/v1/outbox?limit=50&cursor=c9',
      'GET /api/v1/outbox/5',
      'POST /api/v1/outbox/5/retry',
      'POST /api/v1/outbox/5/discard',
    ]);
    expect(fetchMock.mock.calls[4]?.[1]?.body).toBe(JSON.stringify({ reason: '短信通道已下线' }));
  });
});

describe('what may be done with a delivery', () => {
  it('retries a dead or discarded one and discards only a dead one', () => {
    expect(DELIVERY_STATUSES.filter((status) => canRetry({ status }))).toEqual(['dead', 'discarded']);
    expect(DELIVERY_STATUSES.filter((status) => canDiscard({ status }))).toEqual(['dead']);
  });
});

describe('reasonProblem', () => {
  it('wants 2 to 200 characters once trimmed, counting a Chinese character as one', () => {
    expect(reasonProblem(undefined)).toBe('required');
    expect(reasonProblem('   ')).toBe('required');
    expect(reasonProblem(' 是 ')).toBe('too_short');
    expect(reasonProblem('重复')).toBeUndefined();
    expect(reasonProblem('长'.repeat(200))).toBeUndefined();
    expect(reasonProblem('长'.repeat(201))).toBe('too_long');
  });
});

describe('prettyPayload', () => {
  it('indents JSON, reads JSON held in text, and leaves other text as it is', () => {
    expect(prettyPayload({ customer_id: 5, recipient_user_id: 7 })).toBe('{\n  "customer_id": 5,\n  "recipient_user_id": 7\n}');
    expect(prettyPayload('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyPayload('not json')).toBe('not json');
    expect(prettyPayload(null)).toBe('null');
  });
});
