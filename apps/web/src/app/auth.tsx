import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { ApiError, api, setAuthHandlers, setCsrfToken } from './api';
import type { Me, SessionAnswer } from './types';

interface AuthContextValue {
  user: Me | null;
  loading: boolean;
  error: unknown;
  retry: () => void;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  changePassword: (currentPassword: string, newPassword: string) => Promise<void>;
  can: (permission: string) => boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);
const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<SessionAnswer | null> {
  try {
    const answer = await api<SessionAnswer>('/api/auth/session', { quiet401: true });
    setCsrfToken(answer.csrfToken);
    return answer;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

/** How long sign-out waits for the server before it signs out locally. */
const LOGOUT_WAIT_MS = 4000;

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Number.POSITIVE_INFINITY, retry: false });

  useEffect(() => {
    setAuthHandlers({
      unauthenticated: () => {
        setCsrfToken(null);
        qc.setQueryData(SESSION_KEY, null);
      },
      passwordChangeRequired: () => {
        void qc.invalidateQueries({ queryKey: SESSION_KEY });
      },
    });
  }, [qc]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = await api<SessionAnswer>('/api/auth/login', { method: 'POST', body: { username, password }, quiet401: true });
      setCsrfToken(answer.csrfToken);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      qc.setQueryData(SESSION_KEY, answer);
      return answer.user;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    // The server ends the session and clears the cookie; a slow or unreachable server must not keep the
    // user waiting on a sign-out they asked for: after a few seconds the console signs out locally anyway.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), LOGOUT_WAIT_MS);
    try {
      await api('/api/auth/logout', { method: 'POST', quiet401: true, signal: abort.signal });
    } catch {
      // signing out locally is enough if the session is already gone (or the server did not answer in time)
    } finally {
      clearTimeout(timer);
    }
    setCsrfToken(null);
    // keep the session query itself (its observer must see the change); drop everything the user had loaded
    qc.setQueryData(SESSION_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  }, [qc]);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      await api('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
    },
    [qc],
  );

  const value = useMemo<AuthContextValue>(() => {
    const user = session.data?.user ?? null;
    return {
      user,
      loading: session.isPending,
      error: session.error,
      retry: () => void session.refetch(),
      login,
      logout,
      changePassword,
      can: (p: string) => !!user?.permissions.includes(p),
    };
  }, [session.data, session.isPending, session.error, session.refetch, login, logout, changePassword]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
