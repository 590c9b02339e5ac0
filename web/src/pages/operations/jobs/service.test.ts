import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../../i18n';
import { durationText, listJobRuns, listJobs, progressPercent, rateText, runJob, runsRefetchInterval } from './service';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

afterEach(() => vi.unstubAllGlobals());

describe('the job requests', () => {
  it('list the jobs, the runs of a job and status, and run one now', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 202 })));
    vi.stubGlobal('fetch', fetchMock);
    await listJobs();
    await listJobRuns({ job_key: 'todo.overdue_sweep', status: 'running' });
    await listJobRuns({}, 'c3');
    await runJob('todo.overdue_sweep');
    expect(fetchMock.mock.calls.map((c) => `${c[1]?.method} ${String(c[0])}`)).toEqual([
      'GET /api/v1/jobs',
      'GET /api/v1/job-runs?job_key=todo.overdue_sweep&status=running&limit=50',
      'GET /api/v1/job-runs?limit=50&cursor=c3',
      'POST /api/v1/jobs/todo.overdue_sweep/run',
    ]);
  });
});

describe('runsRefetchInterval', () => {
  it('refetches every 2 s while a run is queued or running and not at all otherwise', () => {
    expect(runsRefetchInterval([{ status: 'succeeded' }, { status: 'running' }])).toBe(2000);
    // A run just asked for waits a moment for the worker: its outcome is seconds away.
    expect(runsRefetchInterval([{ status: 'succeeded' }, { status: 'pending' }])).toBe(2000);
    // One that failed waits for its retry, minutes perhaps: not worth polling for.
    expect(runsRefetchInterval([{ status: 'succeeded' }, { status: 'failed' }, { status: 'dead' }])).toBe(false);
    expect(runsRefetchInterval([])).toBe(false);
  });
});

describe('progress', () => {
  it('is a percentage only when the total is known', () => {
    expect(progressPercent({ done: 250, total: 1000 })).toBe(25);
    expect(progressPercent({ done: 999, total: 1000 })).toBe(99);
    expect(progressPercent({ done: 1200, total: 1000 })).toBe(100);
    expect(progressPercent({ done: 5, total: null })).toBeUndefined();
    expect(progressPercent({ done: 0, total: 0 })).toBeUndefined();
  });
  it('says the rate with a decimal only below ten', () => {
    expect(rateText(1234.4, zh, 'zh-CN')).toBe('1,234 条/秒');
    expect(rateText(2.345, en, 'en-US')).toBe('2.3/s');
    expect(rateText(null, zh, 'zh-CN')).toBe('');
  });
});

describe('durationText', () => {
  it('says milliseconds, seconds, minutes and hours as a reader would', () => {
    expect(durationText(850, zh)).toBe('850 毫秒');
    expect(durationText(1234, zh)).toBe('1.2 秒');
    expect(durationText(42_400, zh)).toBe('42 秒');
    expect(durationText(185_000, zh)).toBe('3 分 5 秒');
    expect(durationText(7_500_000, zh)).toBe('2 小时 5 分');
    expect(durationText(185_000, en)).toBe('3 min 5 s');
    expect(durationText(null, zh)).toBe('');
  });
});
