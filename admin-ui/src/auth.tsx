/**
 * The session: the bearer token (sessionStorage, so a reload keeps it and closing the tab drops
 * it), who is logged in and what they may do (GET /v3/auth/me). With security off there is no
 * token and no login; the header says so.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Api, ApiError } from './api/client';
import type { Me } from './api/types';

const TOKEN_KEY = 'brook.token';
const USER_KEY = 'brook.user';

export interface Session {
  api: Api;
  me: Me | null;
  /** 'checking' until the first /v3/auth/me answers. */
  status: 'checking' | 'anonymous' | 'ready' | 'error';
  error: ApiError | null;
  login(user: string, password: string): Promise<void>;
  logout(): void;
  /** Whether the user may do this cluster operation (unknown operations lists: yes). */
  can(operation: string): boolean;
  retry(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useApi(): Api {
  return useSession().api;
}

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children, api: given }: { children: ReactNode; api?: Api }) {
  const token = useRef<string | null>(storedToken());
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<Session['status']>('checking');
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  const dropToken = useCallback(() => {
    token.current = null;
    try {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(USER_KEY);
    } catch {
      // storage unavailable: memory only
    }
  }, []);

  const api = useMemo(
    () =>
      given ??
      new Api({
        token: () => token.current,
        onUnauthorized: () => {
          dropToken();
          setMe(null);
          setStatus('anonymous');
        },
      }),
    [given, dropToken],
  );

  const refresh = useCallback(async () => {
    try {
      const who = await api.me();
      // A gateway without /v3/auth/me does not say who: the name used to log in.
      if (who.securityEnabled && (!who.user || who.user === 'user')) who.user = sessionStorage.getItem(USER_KEY) ?? who.user;
      setMe(who);
      setError(null);
      setStatus('ready');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        dropToken();
        setMe(null);
        setStatus('anonymous');
      } else {
        setError(e instanceof ApiError ? e : new ApiError(0, 'Error', String(e)));
        setStatus('error');
      }
    }
  }, [api, dropToken]);

  useEffect(() => {
    void refresh();
  }, [refresh, attempt]);

  const session: Session = {
    api,
    me,
    status,
    error,
    async login(user, password) {
      const issued = await api.login(user, password);
      token.current = issued.token;
      try {
        sessionStorage.setItem(TOKEN_KEY, issued.token);
        sessionStorage.setItem(USER_KEY, user);
      } catch {
        // memory only
      }
      await refresh();
    },
    logout() {
      dropToken();
      setMe(null);
      setStatus('anonymous');
    },
    can(operation) {
      if (!me || !me.operations) return true;
      return me.operations.includes(operation.toUpperCase()) || me.operations.includes('ALL');
    },
    retry() {
      setStatus('checking');
      setAttempt((a) => a + 1);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
