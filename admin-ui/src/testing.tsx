import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { vi } from 'vitest';
import { Api } from './api/client';
import { SessionProvider } from './auth';
import { AppRoutes } from './App';

export type Route = [number, unknown] | ((init: RequestInit) => [number, unknown]);

/** An Api over a fake gateway: `METHOD path` → answer; unknown paths 404. */
export function fakeApi(routes: Record<string, Route>) {
  const calls: Array<{ method: string; url: string; body?: unknown }> = [];
  const fetchFn = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const route = routes[`${method} ${url}`];
    if (!route) return new Response(JSON.stringify({ title: 'Not Found', status: 404 }), { status: 404 });
    const [status, body] = typeof route === 'function' ? route(init) : route;
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  let token: string | null = null;
  const api = new Api({ fetch: fetchFn, token: () => token });
  return { api, calls, setToken: (t: string | null) => (token = t) };
}

/** The whole app at an address, against a fake gateway. */
export function renderApp(path: string, api: Api) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider api={api}>
        <AppRoutes />
      </SessionProvider>
    </MemoryRouter>,
  );
}

export const CLUSTER = { data: [{ cluster_id: 'c1' }] };
export const ME = { user: 'admin', security_enabled: true, operations: ['DESCRIBE', 'CREATE', 'ALTER'] };
