import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { App } from 'antd';
import { AuthProvider } from '../../../auth/AuthContext';
import JobsPage from './index';
import type { Job, JobRun } from './types';

function json(body: object, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

const finished: JobRun = {
  id: 7,
  job_key: 'todo.overdue_sweep',
  scheduled_for: '2026-12-03T01:00:00Z',
  manual: false,
  requested_by: '',
  status: 'succeeded',
  attempts: 1,
  started_at: '2026-12-03T01:00:01Z',
  finished_at: '2026-12-03T01:00:04Z',
  duration_ms: 3200,
  error: '',
  progress: null,
};
const running: JobRun = {
  ...finished,
  id: 8,
  job_key: 'customers.reindex',
  manual: true,
  requested_by: '运维',
  status: 'running',
  finished_at: null,
  duration_ms: null,
  progress: { done: 2500, total: 10_000, rate_per_second: 500, eta_seconds: 15, updated_at: '2026-12-03T02:00:05Z' },
};
const jobs: Job[] = [
  { key: 'todo.overdue_sweep', label: '逾期待办提醒', schedule: '0 9 * * *', schedule_label: '每天 09:00', catch_up: 'once', working_days_only: true, next_fire_at: '2026-12-04T01:00:00Z', last_run: finished },
  { key: 'customers.reindex', label: '客户索引重建', schedule: '0 2 * * 0', schedule_label: '每周日 02:00', catch_up: 'every', working_days_only: false, next_fire_at: null, last_run: null },
];

function server(runs: JobRun[] | (() => JobRun[]), jobList: () => Job[] = () => jobs) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    if (url.startsWith('/api/v1/auth/me')) {
      return json({
        csrf_token: 't',
        must_change_password: false,
        expires_at: '2999-01-01T00:00:00Z',
        time_zone: '+08:00',
        user: { id: 1, username: 'ops', display_name: '运维', language: 'zh-CN', department: {}, roles: [], permissions: ['operations.admin'], scopes: {} },
      });
    }
    if (url === '/api/v1/jobs') return json({ items: jobList() });
    if (url.endsWith('/run')) return json({ ...finished, id: 9, status: 'pending' }, 202);
    if (url.startsWith('/api/v1/job-runs')) return json({ items: typeof runs === 'function' ? runs() : runs });
    return json({});
  });
  render(
    <App>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <AuthProvider>
            <JobsPage />
          </AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </App>,
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('JobsPage', { timeout: 30_000 }, () => {
  it('shows each job’s schedule, working days, next run and last outcome, and runs one now after confirming', async () => {
    const calls = server([finished]);
    const table = await screen.findByTestId('job-table');
    await within(table).findByText('逾期待办提醒');
    const sweep = within(table).getByText('逾期待办提醒').closest('tr') as HTMLElement;
    expect(sweep.textContent).toContain('每天 09:00');
    expect(sweep.textContent).toContain('仅工作日');
    expect(sweep.textContent).toContain('2026-12-04 09:00');
    expect(sweep.textContent).toContain('成功');
    expect(sweep.textContent).toContain('3.2 秒');
    expect((within(table).getByText('客户索引重建').closest('tr') as HTMLElement).textContent).toContain('尚未运行');
    fireEvent.click(within(sweep).getByRole('button', { name: '立即运行' }));
    const confirm = await screen.findByText('立即运行“逾期待办提醒”？');
    fireEvent.click(within(confirm.closest('.ant-popover') as HTMLElement).getByRole('button', { name: '立即运行' }));
    await waitFor(() => expect(calls).toContain('POST /api/v1/jobs/todo.overdue_sweep/run'));
  });

  it('shows a running run’s progress, and asks again every 2 s only while one runs', async () => {
    const calls = server([running, finished]);
    const progress = await screen.findByTestId('run-progress');
    expect(progress.textContent).toContain('25%');
    expect(progress.textContent).toContain('2,500 / 10,000 · 500 条/秒 · 预计还需 15 秒');
    const asked = () => calls.filter((c) => c.startsWith('GET /api/v1/job-runs')).length;
    const before = asked();
    await waitFor(() => expect(asked()).toBeGreaterThan(before), { timeout: 3500 });
  });

  it('follows a queued run until it ends, and then shows it as its job’s last run', async () => {
    const queued: JobRun = { ...finished, id: 9, job_key: 'customers.reindex', manual: true, requested_by: 'ops', status: 'pending', started_at: null, finished_at: null, duration_ms: null };
    const done: JobRun = { ...queued, status: 'succeeded', started_at: '2026-12-03T02:00:00Z', finished_at: '2026-12-03T02:00:01Z', duration_ms: 850 };
    let ended = false;
    server(
      () => [ended ? done : queued],
      () => (ended ? jobs.map((j) => (j.key === done.job_key ? { ...j, last_run: done } : j)) : jobs),
    );
    const runs = await screen.findByTestId('run-table');
    await within(runs).findByText('等待中');
    ended = true;
    await within(runs).findByText('成功', {}, { timeout: 3500 });
    const reindex = within(screen.getByTestId('job-table')).getByText('客户索引重建').closest('tr') as HTMLElement;
    await waitFor(() => expect(reindex.textContent).toContain('850 毫秒'));
    expect(reindex.textContent).toContain('成功');
  });

  it('does not ask again when nothing runs', async () => {
    const calls = server([finished]);
    await screen.findAllByText('逾期待办提醒');
    const asked = () => calls.filter((c) => c.startsWith('GET /api/v1/job-runs')).length;
    const before = asked();
    await new Promise((r) => setTimeout(r, 2600));
    expect(asked()).toBe(before);
  });
});
