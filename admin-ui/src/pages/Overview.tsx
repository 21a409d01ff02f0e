import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../auth';
import { useAsync, useInterval } from '../hooks';
import { Async, Empty, ErrorState } from '../components/States';
import { TimeChart } from '../components/TimeChart';
import { bytes, count, rate } from '../format';
import type { Partition, ThroughputSeries } from '../api/types';
import { ApiError, type Api } from '../api/client';

/** The broker id a `controller` link points at, or null. */
export function controllerId(related: string | undefined | null): number | null {
  const m = related?.match(/\/brokers\/(\d+)$/);
  return m ? Number(m[1]) : null;
}

export interface Health {
  topics: number;
  partitions: number;
  underReplicated: number;
  offline: number;
  /** The sum of every partition's end offset: its growth is the cluster's message rate. */
  endOffsets: number;
}

/** Counts over every topic's partitions: under-replicated (ISR smaller than replicas), offline (no leader). */
export function health(partitions: Partition[][]): Health {
  const all = partitions.flat();
  return {
    topics: partitions.length,
    partitions: all.length,
    underReplicated: all.filter((p) => p.isr_ids.length < p.replica_ids.length).length,
    offline: all.filter((p) => p.leader_id === null || p.leader_id === undefined || p.leader_id < 0).length,
    endOffsets: all.reduce((s, p) => s + p.latest_offset, 0),
  };
}

/**
 * Where the throughput charts come from: the gateway's samples once it has two (`gateway`); the
 * page's own sampling of end offsets where the gateway has no such endpoint, or still fewer than
 * two samples after three polls (`page`: an older gateway, or one whose sampling fails; the
 * gateway is still asked on every poll and wins as soon as it has two); else an error, or waiting.
 */
export type ThroughputSource = 'gateway' | 'page' | 'error' | 'waiting';

export function throughputSource(tp: ThroughputSeries | null, error: Error | null, polls: number): ThroughputSource {
  if (error instanceof ApiError && error.notFound) return 'page';
  if (tp && tp.times.length >= 2) return 'gateway';
  if (polls >= 3) return 'page';
  return error ? 'error' : 'waiting';
}

async function loadHealth(api: Api): Promise<Health> {
  const topics = await api.topics();
  const parts: Partition[][] = [];
  // Topics in small parallel batches: enough for a dashboard, gentle on the gateway.
  for (let i = 0; i < topics.length; i += 8) {
    parts.push(...(await Promise.all(topics.slice(i, i + 8).map((t) => api.partitions(t.topic_name).catch(() => [])))));
  }
  return health(parts);
}

export function OverviewPage() {
  const api = useApi();
  const cluster = useAsync(() => api.getCluster(), [api]);
  const brokers = useAsync(() => api.brokers(), [api]);
  const stats = useAsync(() => loadHealth(api), [api]);
  const [tp, setTp] = useState<ThroughputSeries | null>(null);
  const [tpError, setTpError] = useState<Error | null>(null);
  // Without the gateway's samples (an older gateway), the page samples end offsets itself.
  const [own, setOwn] = useState<Array<{ t: number; end: number }>>([]);
  const [polls, setPolls] = useState(0);
  const source = throughputSource(tp, tpError, polls);
  const noEndpoint = tpError instanceof ApiError && tpError.notFound;
  useInterval(() => {
    setPolls((n) => n + 1);
    if (source === 'page') {
      loadHealth(api).then(
        (h) => setOwn((o) => [...o, { t: Date.now(), end: h.endOffsets }].slice(-61)),
        () => {},
      );
    }
    // Asked on every poll (but where there is no such endpoint): the gateway's samples replace
    // the page's own as soon as it has two.
    if (noEndpoint) return;
    api.throughput().then(
      (t) => {
        setTp(t);
        setTpError(null);
      },
      (e: Error) => setTpError(e),
    );
  }, 5000);
  const ownRates = own.slice(1).map((o, i) => ({ t: o.t, r: Math.max(0, ((o.end - own[i].end) * 1000) / (o.t - own[i].t)) }));
  const controller = controllerId(cluster.data?.controller?.related) ?? brokers.data?.find((b) => b.is_controller)?.broker_id ?? null;

  return (
    <section>
      <h1>Overview</h1>
      <Async state={cluster} what="Loading the cluster">
        {(c) => (
          <p className="muted">
            Cluster <code data-testid="cluster-id">{c.cluster_id}</code>
          </p>
        )}
      </Async>
      <Async state={stats} what="Counting partitions">
        {(h) => (
          <div className="tiles">
            <Tile label="Brokers" value={count(brokers.data?.length)} />
            <Tile label="Topics" value={count(h.topics)} />
            <Tile label="Partitions" value={count(h.partitions)} />
            <Tile label="Under-replicated" value={count(h.underReplicated)} tone={h.underReplicated ? 'warn' : 'ok'} />
            <Tile label="Offline" value={count(h.offline)} tone={h.offline ? 'bad' : 'ok'} />
          </div>
        )}
      </Async>

      <h2>Throughput</h2>
      {tp && tp.times.length && source !== 'page' ? (
        <div className="grid2">
          <div className="card">
            <h3>Messages per second</h3>
            <TimeChart testId="chart-messages" times={tp.times} lines={[{ label: 'messages/s', values: tp.messagesPerSec, color: '#2563eb' }]} />
          </div>
          <div className="card">
            <h3>Bytes per second</h3>
            <TimeChart testId="chart-bytes" times={tp.times} lines={[{ label: 'bytes/s', values: tp.bytesPerSec, color: '#059669' }]} unit="B" />
          </div>
        </div>
      ) : source === 'page' ? (
        ownRates.length ? (
          <div className="card">
            <h3>Messages per second (sampled by this page: the gateway has no samples)</h3>
            <TimeChart testId="chart-page-messages" times={ownRates.map((o) => o.t)} lines={[{ label: 'messages/s', values: ownRates.map((o) => o.r), color: '#2563eb' }]} />
          </div>
        ) : (
          <Empty>The gateway has no throughput samples; this page samples the end offsets while it is open…</Empty>
        )
      ) : source === 'error' && tpError ? (
        <ErrorState error={tpError} />
      ) : tp ? (
        <Empty>No samples yet: the gateway samples throughput every few seconds.</Empty>
      ) : (
        <Empty>Waiting for throughput samples…</Empty>
      )}

      <h2>Brokers</h2>
      <Async state={brokers} what="Loading brokers">
        {(list) =>
          list.length === 0 ? (
            <Empty>No broker is registered.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Id</th>
                    <th>Address</th>
                    <th>Rack</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((b) => (
                    <tr key={b.broker_id}>
                      <td>
                        <Link to={`/brokers/${b.broker_id}`}>{b.broker_id}</Link>
                        {b.broker_id === controller ? <span className="badge info">controller</span> : null}
                      </td>
                      <td>
                        {b.host}:{b.port}
                      </td>
                      <td>{b.rack ?? '—'}</td>
                      <td>
                        <span className="badge ok">up</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      {tp && Object.keys(tp.topics).length ? (
        <>
          <h2>Busiest topics</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Topic</th>
                  <th>Messages/s</th>
                  <th>Bytes/s</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(tp.topics)
                  .map(([name, s]) => ({ name, m: s.messagesPerSec.at(-1) ?? 0, b: s.bytesPerSec.at(-1) ?? 0 }))
                  .sort((a, b) => b.m - a.m)
                  .slice(0, 10)
                  .map((t) => (
                    <tr key={t.name}>
                      <td>
                        <Link to={`/topics/${encodeURIComponent(t.name)}`}>{t.name}</Link>
                      </td>
                      <td>{rate(t.m)}</td>
                      <td>{bytes(t.b)}/s</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

function Tile({ label, value, tone }: { label: string; value: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`tile ${tone ?? ''}`} data-testid={`tile-${label.toLowerCase().replace(/\W+/g, '-')}`}>
      <span className="tile-value">{value}</span>
      <span className="tile-label">{label}</span>
    </div>
  );
}
