/**
 * The dashboard's one way to the gateway: typed calls over fetch, Server-Sent Events read from a
 * fetch body (so that the bearer token goes in a header, which EventSource cannot send), and
 * WebSockets with the token as the subprotocol `brook.bearer.<jwt>` beside `brook`.
 *
 * Errors: every non-2xx answer becomes an {@link ApiError} carrying the problem+json fields
 * (`status`, `title`, `detail`, `error_code`); a network failure is an ApiError with status 0.
 * The token is never part of an error message.
 */
import type {
  Acl,
  AclFilter,
  Broker,
  Cluster,
  ConfigEntry,
  Consumer,
  ConsumerGroup,
  LagPoint,
  Me,
  Partition,
  ProduceRecord,
  ProduceResult,
  ReadResult,
  RecordView,
  ResetPreview,
  ResetRequest,
  ThroughputSeries,
  Topic,
  User,
  GroupLag,
  SearchEvent,
} from './types';
import { normalizeMe, normalizeThroughput, normalizeLagHistory } from './normalize';

export class ApiError extends Error {
  readonly status: number;
  readonly code?: number;
  readonly title: string;

  constructor(status: number, title: string, detail?: string, code?: number) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.code = code;
  }

  /** Not there: an endpoint this gateway lacks, or a resource that is gone. */
  get notFound(): boolean {
    return this.status === 404;
  }
}

type Fetch = typeof fetch;

export interface ApiOptions {
  /** Base URL of the gateway; '' for the page's own origin (how the gateway serves the UI). */
  baseUrl?: string;
  /** The current bearer token, or null when not logged in (or security is off). */
  token?: () => string | null;
  /** Called on any 401, so that the app can go back to the login page. */
  onUnauthorized?: () => void;
  fetch?: Fetch;
}

const enc = encodeURIComponent;

export function query(params: Record<string, string | number | boolean | undefined | null | Array<string | number>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => parts.push(`${enc(k)}=${enc(String(x))}`));
    else parts.push(`${enc(k)}=${enc(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** base64 of a UTF-8 string (header values travel as base64). */
export function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin);
}

export function fromBase64(b64: string | null | undefined): string {
  if (b64 == null) return '';
  try {
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return b64;
  }
}

/** Parses one text/event-stream chunk sequence; returns the complete events and the rest. */
export function parseSse(buffer: string): { events: Array<{ event: string; id?: string; data: string }>; rest: string } {
  const events: Array<{ event: string; id?: string; data: string }> = [];
  const normalized = buffer.replace(/\r\n/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ event, id, data: data.join('\n') });
  }
  return { events, rest };
}

export class Api {
  private readonly baseUrl: string;
  private readonly token: () => string | null;
  private readonly onUnauthorized: () => void;
  private readonly fetchFn: Fetch;
  private cluster: Promise<string> | null = null;

  constructor(options: ApiOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.token = options.token ?? (() => null);
    this.onUnauthorized = options.onUnauthorized ?? (() => {});
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
  }

  private headers(extra?: Record<string, string>): Record<string, string> {
    // X-Requested-With: a 401 then carries no Basic challenge, which would make the browser
    // open its own login dialog over the page.
    const h: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...extra };
    const t = this.token();
    if (t) h.Authorization = `Bearer ${t}`;
    return h;
  }

  private async fail(res: Response): Promise<never> {
    let title = res.statusText || `HTTP ${res.status}`;
    let detail: string | undefined;
    let code: number | undefined;
    try {
      const body = await res.json();
      title = body.title ?? title;
      detail = body.detail ?? body.message;
      code = body.error_code;
    } catch {
      // not JSON: keep the status text
    }
    if (res.status === 401) this.onUnauthorized();
    throw new ApiError(res.status, title, detail, code);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers: this.headers(body === undefined ? undefined : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'Gateway unreachable', (e as Error).message);
    }
    if (!res.ok) return this.fail(res);
    if (res.status === 204 || res.status === 201 || res.headers.get('content-length') === '0') {
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, signal?: AbortSignal) {
    return this.request<T>('GET', path, undefined, signal);
  }

  // --- authentication ---

  /** POST /v3/auth/token with a JSON body; answers the bearer token and its lifetime. */
  async login(username: string, password: string): Promise<{ token: string; expiresIn: number }> {
    const res = await this.fetchFn(this.baseUrl + '/v3/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      body: JSON.stringify({ username, password }),
    }).catch((e: Error) => {
      throw new ApiError(0, 'Gateway unreachable', e.message);
    });
    if (res.status === 404) throw new ApiError(404, 'Security is off', 'This gateway has no login: security is off.');
    if (!res.ok) {
      // A wrong password is a 401; it must not trigger the "session expired" path.
      let detail = 'Wrong user name or password.';
      try {
        const body = await res.json();
        if (res.status !== 401) detail = body.detail ?? detail;
      } catch {
        // keep the default
      }
      throw new ApiError(res.status, res.status === 401 ? 'Login failed' : 'Login error', detail);
    }
    const body = await res.json();
    return { token: body.access_token, expiresIn: body.expires_in };
  }

  /**
   * GET /v3/auth/me: who is logged in, whether security is on, the cluster operations they may do.
   * A gateway without it (404) with data readable anonymously: security is off, everything allowed.
   */
  async me(): Promise<Me> {
    try {
      return normalizeMe(await this.get<unknown>('/v3/auth/me'));
    } catch (e) {
      if (e instanceof ApiError && e.notFound) {
        // Older gateway: probe whether the API needs a login.
        const res = await this.fetchFn(this.baseUrl + '/v3/clusters', { headers: this.headers() });
        if (res.status === 401) throw new ApiError(401, 'Login required');
        return { user: this.token() ? 'user' : null, securityEnabled: !!this.token(), operations: null };
      }
      throw e;
    }
  }

  // --- cluster ---

  clusterId(): Promise<string> {
    if (!this.cluster) {
      this.cluster = this.get<{ data: Cluster[] }>('/v3/clusters').then((r) => {
        if (!r.data.length) throw new ApiError(404, 'No cluster');
        return r.data[0].cluster_id;
      });
      this.cluster.catch(() => (this.cluster = null));
    }
    return this.cluster;
  }

  private async c(path: string): Promise<string> {
    return `/v3/clusters/${enc(await this.clusterId())}${path}`;
  }

  async getCluster(): Promise<Cluster> {
    return this.get<Cluster>(await this.c(''));
  }

  async brokers(): Promise<Broker[]> {
    return (await this.get<{ data: Broker[] }>(await this.c('/brokers'))).data;
  }

  async brokerConfigs(id: number): Promise<ConfigEntry[]> {
    return (await this.get<{ data: ConfigEntry[] }>(await this.c(`/brokers/${id}/configs`))).data;
  }

  async throughput(): Promise<ThroughputSeries> {
    return normalizeThroughput(await this.get<unknown>(await this.c('/metrics/throughput')));
  }

  // --- topics ---

  async topics(): Promise<Topic[]> {
    return (await this.get<{ data: Topic[] }>(await this.c('/topics'))).data;
  }

  async topic(name: string): Promise<Topic> {
    return this.get<Topic>(await this.c(`/topics/${enc(name)}`));
  }

  async createTopic(req: {
    topic_name: string;
    partitions_count?: number;
    replication_factor?: number;
    configs?: Array<{ name: string; value: string }>;
  }): Promise<Topic> {
    return this.request<Topic>('POST', await this.c('/topics'), req);
  }

  async deleteTopic(name: string): Promise<void> {
    await this.request('DELETE', await this.c(`/topics/${enc(name)}`));
  }

  async addPartitions(name: string, partitionsCount: number): Promise<void> {
    await this.request('PATCH', await this.c(`/topics/${enc(name)}`), { partitions_count: partitionsCount });
  }

  async topicConfigs(name: string): Promise<ConfigEntry[]> {
    return (await this.get<{ data: ConfigEntry[] }>(await this.c(`/topics/${enc(name)}/configs`))).data;
  }

  async alterTopicConfigs(name: string, changes: Array<{ name: string; value?: string; operation?: 'SET' | 'DELETE' }>) {
    await this.request('POST', await this.c(`/topics/${enc(name)}/configs:alter`), { data: changes });
  }

  async partitions(name: string): Promise<Partition[]> {
    return (await this.get<{ data: Partition[] }>(await this.c(`/topics/${enc(name)}/partitions`))).data;
  }

  // --- records ---

  /** Stateless read of one partition from an offset, or (newer gateways) from a time. */
  async read(
    topic: string,
    partition: number,
    from: { offset?: number; timestamp?: number },
    maxRecords = 50,
    signal?: AbortSignal,
  ): Promise<ReadResult> {
    const q = query({
      offset: from.offset,
      timestamp: from.timestamp,
      max_records: maxRecords,
      timeout_ms: 500,
    });
    return this.get<ReadResult>(await this.c(`/topics/${enc(topic)}/partitions/${partition}/records${q}`), signal);
  }

  async produce(topic: string, record: ProduceRecord): Promise<ProduceResult> {
    return this.request<ProduceResult>('POST', await this.c(`/topics/${enc(topic)}/records`), record);
  }

  /**
   * Reads a Server-Sent Events stream with the token in a header; resolves when the stream ends,
   * rejects on an HTTP error. Aborting the signal closes the connection (which stops a search).
   */
  async sse(path: string, onEvent: (e: { event: string; id?: string; data: string }) => void, signal: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, { headers: this.headers({ Accept: 'text/event-stream' }), signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      throw new ApiError(0, 'Gateway unreachable', (e as Error).message);
    }
    if (!res.ok) return this.fail(res);
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const parsed = parseSse(buffer);
        buffer = parsed.rest;
        parsed.events.forEach(onEvent);
      }
      const parsed = parseSse(buffer + '\n\n');
      parsed.events.forEach(onEvent);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  }

  /** records:search as SSE: progress, record and done events; stopped by aborting. */
  async search(
    topic: string,
    params: { q: string; in?: string; partition?: number; max_scanned?: number; max_matches?: number; from?: string },
    onEvent: (e: SearchEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const path = await this.c(`/topics/${enc(topic)}/records:search${query(params)}`);
    await this.sse(
      path,
      (e) => {
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        // `match` events carry records (plain `message` ones too, for older shapes).
        const kind = e.event === 'message' || e.event === 'match' ? 'record' : e.event;
        onEvent({ kind, data } as SearchEvent);
      },
      signal,
    );
  }

  /** The consume socket's URL (ws: or wss: from the page's scheme). */
  async socketUrl(topic: string, params: Record<string, string | number | undefined>): Promise<string> {
    const path = await this.c(`/topics/${enc(topic)}/consume-socket${query(params)}`);
    const base = this.baseUrl || window.location.origin;
    return base.replace(/^http/, 'ws') + path;
  }

  /** Subprotocols for a socket: `brook`, and the token as `brook.bearer.<jwt>` when logged in. */
  protocols(): string[] {
    const t = this.token();
    return t ? ['brook', `brook.bearer.${t}`] : ['brook'];
  }

  // --- consumer groups ---

  async groups(): Promise<ConsumerGroup[]> {
    return (await this.get<{ data: ConsumerGroup[] }>(await this.c('/consumer-groups'))).data;
  }

  async group(id: string): Promise<ConsumerGroup> {
    return this.get<ConsumerGroup>(await this.c(`/consumer-groups/${enc(id)}`));
  }

  async consumers(id: string): Promise<Consumer[]> {
    return (await this.get<{ data: Consumer[] }>(await this.c(`/consumer-groups/${enc(id)}/consumers`))).data;
  }

  async assignments(id: string, consumer: string): Promise<Array<{ topic_name: string; partition_id: number }>> {
    const path = `/consumer-groups/${enc(id)}/consumers/${enc(consumer)}/assignments`;
    return (await this.get<{ data: Array<{ topic_name: string; partition_id: number }> }>(await this.c(path))).data;
  }

  async lags(id: string): Promise<GroupLag[]> {
    return (await this.get<{ data: GroupLag[] }>(await this.c(`/consumer-groups/${enc(id)}/lags`))).data;
  }

  /** Lag samples the gateway keeps; null where it keeps none (the page samples itself then). */
  async lagHistory(id: string): Promise<LagPoint[] | null> {
    try {
      return normalizeLagHistory(await this.get<unknown>(await this.c(`/consumer-groups/${enc(id)}/lag-history`)));
    } catch (e) {
      if (e instanceof ApiError && (e.notFound || e.status === 405)) return null;
      throw e;
    }
  }

  async resetOffsets(id: string, req: ResetRequest, dryRun: boolean): Promise<ResetPreview> {
    const path = await this.c(`/consumer-groups/${enc(id)}/offsets:reset${query({ dry_run: dryRun ? 'true' : undefined })}`);
    return this.request<ResetPreview>('POST', path, { ...req, dry_run: dryRun });
  }

  // --- security ---

  async users(): Promise<User[]> {
    return (await this.get<{ data: User[] }>(await this.c('/users'))).data;
  }

  async createUser(name: string, password: string): Promise<void> {
    await this.request('POST', await this.c('/users'), { user_name: name, password });
  }

  async changePassword(name: string, password: string): Promise<void> {
    await this.request('PUT', await this.c(`/users/${enc(name)}`), { password });
  }

  async deleteUser(name: string): Promise<void> {
    await this.request('DELETE', await this.c(`/users/${enc(name)}`));
  }

  async acls(filter: AclFilter = {}): Promise<Acl[]> {
    return (await this.get<{ data: Acl[] }>(await this.c(`/acls${query({ ...filter })}`))).data;
  }

  async createAcl(acl: Omit<Acl, 'cluster_id' | 'kind'>): Promise<void> {
    await this.request('POST', await this.c('/acls'), acl);
  }

  /** Deletes exactly this ACL (every field given as the filter). */
  async deleteAcl(acl: Acl): Promise<Acl[]> {
    const filter = query({
      resource_type: acl.resource_type,
      resource_name: acl.resource_name,
      pattern_type: acl.pattern_type,
      principal: acl.principal,
      host: acl.host,
      operation: acl.operation,
      permission: acl.permission,
    });
    return (await this.request<{ data: Acl[] }>('DELETE', await this.c(`/acls${filter}`))).data;
  }
}

export type { RecordView };
