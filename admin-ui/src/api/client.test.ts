import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, fromBase64, parseSse, query, toBase64 } from './client';

/** A fetch that answers from a table of `METHOD path` → [status, body], recording the calls. */
function fakeFetch(routes: Record<string, [number, unknown]>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = vi.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const key = `${init.method ?? 'GET'} ${url}`;
    const hit = routes[key];
    if (!hit) return new Response(JSON.stringify({ title: 'Not Found', status: 404, error_code: 40401 }), { status: 404 });
    const [status, body] = hit;
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status });
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const CLUSTERS: [number, unknown] = [200, { data: [{ cluster_id: 'c1' }] }];

describe('Api', () => {
  it('sends the bearer token and resolves the cluster id once', async () => {
    const { fn, calls } = fakeFetch({
      'GET /v3/clusters': CLUSTERS,
      'GET /v3/clusters/c1/topics': [200, { data: [{ topic_name: 'orders' }] }],
    });
    const api = new Api({ fetch: fn, token: () => 'jwt-1' });
    expect((await api.topics()).map((t) => t.topic_name)).toEqual(['orders']);
    await api.topics();
    expect(calls.filter((c) => c.url === '/v3/clusters')).toHaveLength(1);
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBe('Bearer jwt-1');
    expect((calls[1].init.headers as Record<string, string>)['X-Requested-With']).toBe('XMLHttpRequest');
  });

  it('turns problem+json into an ApiError with status, detail and error_code', async () => {
    const { fn } = fakeFetch({
      'GET /v3/clusters': CLUSTERS,
      'GET /v3/clusters/c1/topics/nope': [404, { title: 'Not Found', detail: 'Topic nope not found.', error_code: 40403 }],
    });
    const api = new Api({ fetch: fn });
    const err = await api.topic('nope').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.message).toBe('Topic nope not found.');
    expect(err.code).toBe(40403);
  });

  it('calls onUnauthorized on a 401 from the API', async () => {
    const { fn } = fakeFetch({ 'GET /v3/clusters': [401, { title: 'Unauthorized', error_code: 40101 }] });
    const onUnauthorized = vi.fn();
    const api = new Api({ fetch: fn, onUnauthorized });
    await expect(api.topics()).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('logs in with a JSON body and keeps a wrong password out of the session-expired path', async () => {
    const { fn, calls } = fakeFetch({ 'POST /v3/auth/token': [200, { access_token: 't', token_type: 'Bearer', expires_in: 900 }] });
    const onUnauthorized = vi.fn();
    const api = new Api({ fetch: fn, onUnauthorized });
    expect(await api.login('alice', 'pw')).toEqual({ token: 't', expiresIn: 900 });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'alice', password: 'pw' });

    const denied = new Api({ fetch: fakeFetch({ 'POST /v3/auth/token': [401, { title: 'Unauthorized' }] }).fn, onUnauthorized });
    const err = await denied.login('alice', 'wrong').catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('wrong');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reads /v3/auth/me in either naming, and falls back when the gateway lacks it', async () => {
    const api = new Api({
      fetch: fakeFetch({ 'GET /v3/auth/me': [200, { user: 'User:alice', security_enabled: true, operations: ['describe', 'ALTER'] }] }).fn,
    });
    expect(await api.me()).toEqual({ user: 'alice', securityEnabled: true, operations: ['DESCRIBE', 'ALTER'] });

    const old = new Api({ fetch: fakeFetch({ 'GET /v3/clusters': CLUSTERS }).fn });
    expect(await old.me()).toEqual({ user: null, securityEnabled: false, operations: null });

    const locked = new Api({ fetch: fakeFetch({ 'GET /v3/clusters': [401, {}] }).fn });
    await expect(locked.me()).rejects.toMatchObject({ status: 401 });
  });

  it('deletes exactly one ACL by giving every field as the filter', async () => {
    const acl = {
      resource_type: 'TOPIC',
      resource_name: 'a b',
      pattern_type: 'LITERAL',
      principal: 'User:bob',
      host: '*',
      operation: 'WRITE',
      permission: 'ALLOW',
    };
    const url =
      '/v3/clusters/c1/acls?resource_type=TOPIC&resource_name=a%20b&pattern_type=LITERAL&principal=User%3Abob&host=*&operation=WRITE&permission=ALLOW';
    const { fn, calls } = fakeFetch({ 'GET /v3/clusters': CLUSTERS, [`DELETE ${url}`]: [200, { data: [acl] }] });
    expect(await new Api({ fetch: fn }).deleteAcl(acl)).toEqual([acl]);
    expect(calls[1].url).toBe(url);
  });

  it('streams Server-Sent Events from a fetch body, split anywhere', async () => {
    const chunks = ['event: progress\ndata: {"scanned":10', '}\n\nid: 0:5\ndata: {"offset":5}\n\n:heartbeat\n\nevent: match\ndata: {"offset":6}\n\n', 'event: done\ndata: {"scanned":20}\n\n'];
    const fn = vi.fn(async (url: string) => {
      if (url === '/v3/clusters') return new Response(JSON.stringify({ data: [{ cluster_id: 'c1' }] }));
      const body = new ReadableStream({
        start(c) {
          chunks.forEach((s) => c.enqueue(new TextEncoder().encode(s)));
          c.close();
        },
      });
      return new Response(body, { status: 200 });
    }) as unknown as typeof fetch;
    const events: unknown[] = [];
    await new Api({ fetch: fn }).search('t', { q: 'x' }, (e) => events.push(e), new AbortController().signal);
    expect(events).toEqual([
      { kind: 'progress', data: { scanned: 10 } },
      { kind: 'record', data: { offset: 5 } },
      { kind: 'record', data: { offset: 6 } },
      { kind: 'done', data: { scanned: 20 } },
    ]);
  });

  it('puts the token in the WebSocket subprotocols', () => {
    expect(new Api({ token: () => 'abc.def' }).protocols()).toEqual(['brook', 'brook.bearer.abc.def']);
    expect(new Api().protocols()).toEqual(['brook']);
  });
});

describe('helpers', () => {
  it('builds query strings, skipping empty values', () => {
    expect(query({ a: 1, b: undefined, c: '', d: 'x y', p: [0, 2] })).toBe('?a=1&d=x%20y&p=0&p=2');
    expect(query({})).toBe('');
  });

  it('round-trips UTF-8 through base64', () => {
    expect(fromBase64(toBase64('héllo ✓'))).toBe('héllo ✓');
  });

  it('parses SSE blocks and keeps an incomplete tail', () => {
    const { events, rest } = parseSse('data: a\r\ndata: b\r\n\r\nevent: x\ndata: c');
    expect(events).toEqual([{ event: 'message', id: undefined, data: 'a\nb' }]);
    expect(rest).toBe('event: x\ndata: c');
  });
});
