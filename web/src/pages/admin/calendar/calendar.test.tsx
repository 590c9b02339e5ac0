import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { App } from 'antd';
import { AuthProvider } from '../../../auth/AuthContext';
import type { BusinessDate } from '../../../layouts/types';
import CalendarPage from './index';
import type { Advanced, BusinessCalendar, CalendarYear } from './types';

function json(body: object, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

interface Call {
  method: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
}

const businessDate: BusinessDate = { date: '2026-09-30', calendar_key: 'cn', is_working_day: true, next_working_day: '2026-10-09' };
const advanced: Advanced = { from: '2026-09-30', to: '2026-10-09', how: 'manual', advanced: true, summary: '营业日已由 2026-09-30 推进到 2026-10-09' };
const cn: BusinessCalendar = {
  key: 'cn',
  name: '中国大陆',
  name_zh: '中国大陆',
  name_en: 'Mainland China',
  time_zone: 'Asia/Shanghai',
  work_week: [1, 2, 3, 4, 5],
  working_hours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  version: 3,
  updated_at: '2026-09-01T02:00:00Z',
};
const year2026: CalendarYear = {
  items: [
    { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
    { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
  ],
  year: 2026,
  imported: { source: 'import', imported_at: '2026-01-05T02:00:00Z' },
};

function server(year: CalendarYear = year2026) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: init?.body as string | undefined, headers: (init?.headers ?? {}) as Record<string, string> });
    if (url.startsWith('/api/v1/auth/me')) {
      return json({
        csrf_token: 't',
        must_change_password: false,
        expires_at: '2999-01-01T00:00:00Z',
        time_zone: '+08:00',
        user: { id: 1, username: 'admin', display_name: '管理员', language: 'zh-CN', department: {}, roles: [], permissions: ['calendar.admin'], scopes: {} },
      });
    }
    if (url === '/api/v1/business-date') return json(businessDate);
    if (url === '/api/v1/business-date/advance') return json(advanced);
    if (url === '/api/v1/calendars' && method === 'GET') {
      return json({ items: [cn] });
    }
    if (url.startsWith('/api/v1/calendars/cn/days?year=2026')) {
      return json(year);
    }
    if (url.startsWith('/api/v1/calendars/cn/years/')) return json({ items: [{}, {}] });
    if (url.startsWith('/api/v1/calendars/cn/days/')) return json({ date: '2026-09-15', kind: 'holiday', name: '公司假日' });
    if (url === '/api/v1/calendars/cn' && method === 'PATCH') return json({});
    return json({ items: [] });
  });
  render(
    <App>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <AuthProvider>
            <CalendarPage />
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

describe('CalendarPage', { timeout: 30_000 }, () => {
  it('says when the shown year was imported, and warns when it was not', async () => {
    server();
    expect((await screen.findByTestId('year-imported')).textContent).toBe('2026 年的节假日与调休已于 2026-01-05 10:00 导入');
    cleanup();
    server({ items: [], year: 2026, imported: null });
    expect((await screen.findByTestId('year-not-imported')).textContent).toContain('2026 年的节假日与调休尚未导入');
  });

  it('shows the business date and advances it after a confirmation naming from and to', async () => {
    const calls = server();
    expect((await screen.findByTestId('current-business-date')).textContent).toBe('2026-09-30');
    fireEvent.click(screen.getByRole('button', { name: '推进营业日' }));
    expect((await screen.findByTestId('advance-summary')).textContent).toContain('营业日将从 2026-09-30 推进到 2026-10-09');
    fireEvent.click(screen.getByRole('button', { name: '确认推进' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/business-date/advance')).toBe(true));
    expect(calls.find((c) => c.url === '/api/v1/business-date/advance')?.body).toBe('{}');
  });

  it('opens at the business date’s month, marks holidays and make-up days, and sets a clicked day', async () => {
    const calls = server();
    const holiday = await screen.findByTestId('day-2026-10-01');
    expect(holiday.textContent).toBe('休国庆节');
    expect(screen.getByTestId('day-2026-10-10').textContent).toBe('班国庆节调休');
    fireEvent.click(document.querySelector('td[title="2026-09-15"] .ant-picker-cell-inner') as HTMLElement);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('设置 2026-09-15');
    fireEvent.click(within(dialog).getByLabelText('节假日'));
    fireEvent.change(await within(dialog).findByLabelText('名称'), { target: { value: ' 公司假日 ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.url === '/api/v1/calendars/cn/days/2026-09-15')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toBe(JSON.stringify({ kind: 'holiday', name: '公司假日' }));
  });

  it('imports a year from pasted JSON after a preview, and refuses bad JSON', async () => {
    const calls = server();
    await screen.findByTestId('day-2026-10-01');
    fireEvent.click(screen.getByRole('button', { name: '导入全年' }));
    const dialog = await screen.findByRole('dialog');
    const text = within(dialog).getByLabelText('JSON 内容');
    fireEvent.change(text, { target: { value: '[{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]' } });
    expect((await within(dialog).findByTestId('import-problems')).textContent).toContain('第 1 项：日期不在 2026 年');
    expect((within(dialog).getByRole('button', { name: '替换全年' }) as HTMLButtonElement).disabled).toBe(true);
    const days = [
      { date: '2026-10-08', kind: 'holiday', name: '国庆节' },
      { date: '2026-09-27', kind: 'workday', name: '国庆节调休' },
    ];
    fireEvent.change(text, { target: { value: JSON.stringify(days) } });
    expect((await within(dialog).findByTestId('import-summary')).textContent).toContain('将用 2 天（节假日 1 天、调休上班 1 天）替换 2026 年的全部设置');
    fireEvent.click(within(dialog).getByRole('button', { name: '替换全年' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && c.url === '/api/v1/calendars/cn/years/2026')).toBe(true));
    expect(calls.find((c) => c.url.endsWith('/years/2026'))?.body).toBe(JSON.stringify({ days: [days[1], days[0]] }));
  });

  it('saves the work week and working hours as of the version shown', async () => {
    const calls = server();
    fireEvent.click(await screen.findByLabelText('周六'));
    fireEvent.change(screen.getByLabelText('第 2 段结束'), { target: { value: '18:00' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.headers['If-Match']).toBe('"3"');
    expect(patch?.body).toBe(
      JSON.stringify({ work_week: [1, 2, 3, 4, 5, 6], working_hours: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }] }),
    );
  });
});
