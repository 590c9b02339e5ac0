import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import i18n, { isLanguage, rememberLanguage, type Language } from '../i18n';
import { ApiError, http, setCsrfToken, setRequestLanguage, setUnauthorizedHandler } from '../api/request';
import type { Principal, Session } from '../api/types';

export interface AuthState {
  /** undefined while the session probe runs, null when signed out. */
  session: Session | null | undefined;
  user: Principal | null;
  /** The configured business zone ("+08:00") from /api/v1/auth/me; undefined until it has answered. */
  timeZone: string | undefined;
  can: (permission: string) => boolean;
  signedIn: (session: Session) => void;
  logout: () => Promise<void>;
  setLanguage: (lang: Language) => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function applyLanguage(lang: Language): void {
  setRequestLanguage(lang);
  rememberLanguage(lang);
  document.documentElement.lang = lang;
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const queryClient = useQueryClient();

  const accept = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrf_token ?? null);
    if (s && isLanguage(s.user.language)) applyLanguage(s.user.language);
    setSession(s);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const me = await http.get<Session>('/api/v1/auth/me', undefined, { skipAuthRedirect: true });
      setTimeZone(me.time_zone);
      accept(me);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) accept(null);
      else throw e;
    }
  }, [accept]);

  useEffect(() => {
    refresh().catch(() => accept(null));
  }, [refresh, accept]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.clear();
      accept(null);
    });
    return () => setUnauthorizedHandler(null);
  }, [accept, queryClient]);

  // The session ends when the server says so.
  useEffect(() => {
    if (!session) return;
    const ms = new Date(session.expires_at).getTime() - Date.now();
    if (!Number.isFinite(ms)) return;
    const timer = window.setTimeout(() => void refresh().catch(() => accept(null)), Math.max(ms, 0) + 1000);
    return () => window.clearTimeout(timer);
  }, [session, refresh, accept]);

  const logout = useCallback(async () => {
    try {
      await http.post<void>('/api/v1/auth/logout', undefined, { skipAuthRedirect: true });
    } finally {
      queryClient.clear();
      accept(null);
    }
  }, [accept, queryClient]);

  const setLanguage = useCallback(
    async (lang: Language) => {
      applyLanguage(lang);
      if (session) {
        await http.patch<unknown>('/api/v1/auth/me', { language: lang });
        setSession({ ...session, user: { ...session.user, language: lang } });
      }
    },
    [session],
  );

  // The sign-in answer is a Session without the business zone: /auth/me brings it.
  const signedIn = useCallback(
    (s: Session) => {
      accept(s);
      refresh().catch(() => undefined);
    },
    [accept, refresh],
  );

  const value = useMemo<AuthState>(() => {
    const perms = new Set(session?.user.permissions ?? []);
    return {
      session,
      user: session?.user ?? null,
      timeZone,
      can: (p: string) => perms.has(p),
      signedIn,
      logout,
      setLanguage,
      refresh,
    };
  }, [session, timeZone, signedIn, logout, setLanguage, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
