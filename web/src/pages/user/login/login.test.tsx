import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { App } from 'antd';
import i18n from '../../../i18n';
import { AuthProvider } from '../../../auth/AuthContext';
import LoginPage from './index';
import { splitDuration } from './lockout';

function renderLogin() {
  return render(
    <App>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter initialEntries={['/login']}>
          <AuthProvider>
            <LoginPage />
          </AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </App>,
  );
}

function json(status: number, body: object, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('splitDuration', () => {
  it('rounds up to whole seconds', () => {
    expect(splitDuration(899.2)).toEqual({ minutes: 15, seconds: 0 });
    expect(splitDuration(61)).toEqual({ minutes: 1, seconds: 1 });
  });
});

describe('LoginPage', () => {
  async function submit(username: string, password: string) {
    fireEvent.change(await screen.findByLabelText(i18n.t('login.username')), { target: { value: username } });
    fireEvent.change(screen.getByLabelText(i18n.t('login.password')), { target: { value: password } });
    fireEvent.click(screen.getByRole('button', { name: new RegExp(i18n.t('login.submit').split('').join('\\s*')) }));
  }

  it('says the credentials are wrong on 401', async () => {
    vi.stubGlobal('fetch', (url: string) =>
      Promise.resolve(json(401, { status: 401, code: url.includes('login') ? 'invalid_credentials' : 'unauthenticated' })),
    );
    renderLogin();
    await submit('am1', 'nope');
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toContain(i18n.t('login.wrongCredentials')));
  });

  it('says how long a locked account stays locked', async () => {
    vi.stubGlobal('fetch', (url: string) =>
      Promise.resolve(
        url.includes('login')
          ? json(429, { status: 429, code: 'account_locked' }, { 'Retry-After': '600' })
          : json(401, { status: 401, code: 'unauthenticated' }),
      ),
    );
    renderLogin();
    await submit('am1', 'nope');
    await waitFor(() =>
      expect(screen.getByTestId('login-error').textContent).toContain(i18n.t('login.lockedFor', { minutes: 10, seconds: 0 })),
    );
  });
});
