/**
 * Tolerant readers of the dashboard-specific endpoints (auth/me, throughput, lag history, broker
 * details): they accept snake_case or camelCase and a few field names, so that a small change of
 * shape on the gateway shows as missing numbers, never as a broken page.
 */
import type { BrokerDetails, LagPoint, Me, ThroughputSeries } from './types';

type Obj = Record<string, unknown>;

function obj(x: unknown): Obj {
  return x && typeof x === 'object' ? (x as Obj) : {};
}

function pick(o: Obj, ...names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

function num(x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return null;
}

/** Milliseconds since the epoch from epoch ms, epoch seconds or ISO-8601 text. */
export function timeOf(x: unknown): number | null {
  const n = num(x);
  if (n !== null) return n < 1e11 ? n * 1000 : n;
  if (typeof x === 'string') {
    const t = Date.parse(x);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

export function normalizeMe(raw: unknown): Me {
  const o = obj(raw);
  const user = pick(o, 'user', 'user_name', 'username', 'name', 'principal');
  let userName = typeof user === 'string' ? user : typeof user === 'object' ? String(pick(obj(user), 'name', 'user_name') ?? '') : null;
  if (userName && userName.startsWith('User:')) userName = userName.slice(5);
  const sec = pick(o, 'security_enabled', 'securityEnabled', 'security');
  const opsRaw = pick(o, 'operations', 'cluster_operations', 'allowed_operations', 'permissions');
  let operations: string[] | null = null;
  if (Array.isArray(opsRaw)) operations = opsRaw.map((x) => String(x).toUpperCase());
  else if (opsRaw && typeof opsRaw === 'object') {
    operations = Object.entries(opsRaw as Obj)
      .filter(([, v]) => v === true)
      .map(([k]) => k.toUpperCase());
  }
  const securityEnabled = typeof sec === 'boolean' ? sec : typeof sec === 'object' ? Boolean(pick(obj(sec), 'enabled')) : userName !== null;
  return { user: userName || null, securityEnabled, operations };
}

function series(list: unknown[], ...names: string[]): number[] {
  return list.map((s) => num(pick(obj(s), ...names)) ?? 0);
}

export function normalizeThroughput(raw: unknown): ThroughputSeries {
  const o = obj(raw);
  const cluster = obj(pick(o, 'cluster') ?? o);
  const list = (pick(cluster, 'samples', 'data', 'points') ?? pick(o, 'samples', 'data')) as unknown[] | undefined;
  const samples = Array.isArray(list) ? list : [];
  const times = samples.map((s) => timeOf(pick(obj(s), 'timestamp', 'time', 't', 'at')) ?? 0);
  const result: ThroughputSeries = {
    times,
    messagesPerSec: series(samples, 'messages_per_second', 'messages_per_sec', 'messagesPerSecond', 'records_per_second', 'messages'),
    bytesPerSec: series(samples, 'bytes_per_second', 'bytes_per_sec', 'bytesPerSecond', 'bytes'),
    topics: {},
  };
  // Per-topic rates inside each sample ({"topics": {"t": {...}}}), aligned with the samples.
  const names = new Set<string>();
  samples.forEach((smp) => Object.keys(obj(pick(obj(smp), 'topics'))).forEach((n) => names.add(n)));
  names.forEach((n) => {
    const per = samples.map((smp) => obj(obj(pick(obj(smp), 'topics'))[n]));
    result.topics[n] = {
      messagesPerSec: per.map((x) => num(pick(x, 'messages_per_sec', 'messages_per_second', 'messagesPerSecond')) ?? 0),
      bytesPerSec: per.map((x) => num(pick(x, 'bytes_per_sec', 'bytes_per_second', 'bytesPerSecond')) ?? 0),
    };
  });
  const topics = pick(o, 'topics');
  const addTopic = (name: string, value: unknown) => {
    const v = obj(value);
    const ts = pick(v, 'samples', 'data');
    const arr = Array.isArray(ts) ? ts : Array.isArray(value) ? (value as unknown[]) : [];
    result.topics[name] = {
      messagesPerSec: series(arr, 'messages_per_second', 'messages_per_sec', 'messagesPerSecond', 'records_per_second', 'messages'),
      bytesPerSec: series(arr, 'bytes_per_second', 'bytes_per_sec', 'bytesPerSecond', 'bytes'),
    };
  };
  if (Array.isArray(topics)) topics.forEach((t) => addTopic(String(pick(obj(t), 'topic_name', 'topic', 'name')), t));
  else if (topics && typeof topics === 'object') Object.entries(topics as Obj).forEach(([k, v]) => addTopic(k, v));
  return result;
}

export function normalizeLagHistory(raw: unknown): LagPoint[] {
  const o = obj(raw);
  const list = (Array.isArray(raw) ? raw : pick(o, 'samples', 'data', 'points', 'history')) as unknown[] | undefined;
  if (!Array.isArray(list)) return [];
  return list
    .map((s) => {
      const p = obj(s);
      return { time: timeOf(pick(p, 'timestamp', 'time', 't')) ?? 0, lag: num(pick(p, 'total_lag', 'lag', 'totalLag')) ?? 0 };
    })
    .filter((p) => p.time > 0);
}

export function normalizeBrokerDetails(raw: unknown): BrokerDetails {
  const o = obj(raw);
  const ctl = pick(o, 'is_controller', 'controller');
  return {
    partitionsLed: num(pick(o, 'partitions_led', 'leader_count', 'leaders', 'partitionsLed')),
    replicas: num(pick(o, 'replica_count', 'replicas_count', 'partitions', 'replicaCount')),
    logSizeBytes: num(pick(o, 'log_size_bytes', 'log_size', 'size_bytes', 'logSizeBytes')),
    isController: typeof ctl === 'boolean' ? ctl : null,
  };
}
