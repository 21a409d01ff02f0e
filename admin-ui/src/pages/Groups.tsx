import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useApi, useSession } from '../auth';
import { useAsync, useInterval, useSamples } from '../hooks';
import { Async, Empty, ErrorState } from '../components/States';
import { ConfirmDialog } from '../components/Confirm';
import { TimeChart } from '../components/TimeChart';
import { count } from '../format';
import type { Api } from '../api/client';
import type { GroupLag, LagPoint, ResetRequest } from '../api/types';

export function GroupsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const groups = useAsync(() => api.groups(), [api]);
  return (
    <section>
      <h1>Consumer groups</h1>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Search groups"
          aria-label="Search groups"
          value={q}
          onChange={(e) => setParams(e.target.value ? { q: e.target.value } : {}, { replace: true })}
        />
      </div>
      <Async state={groups} what="Loading groups">
        {(list) => {
          const shown = list
            .filter((g) => g.consumer_group_id.toLowerCase().includes(q.toLowerCase()))
            .sort((a, b) => a.consumer_group_id.localeCompare(b.consumer_group_id));
          if (list.length === 0) return <Empty>No consumer groups. A group appears once a consumer joins or commits.</Empty>;
          if (shown.length === 0) return <Empty>No group matches “{q}”.</Empty>;
          return (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Group</th>
                    <th>State</th>
                    <th>Assignor</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((g) => (
                    <tr key={g.consumer_group_id}>
                      <td>
                        <Link to={`/groups/${encodeURIComponent(g.consumer_group_id)}`}>{g.consumer_group_id}</Link>
                      </td>
                      <td>
                        <StateBadge state={g.state} />
                      </td>
                      <td>{g.partition_assignor || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Async>
    </section>
  );
}

function StateBadge({ state }: { state: string }) {
  const tone = state === 'STABLE' || state === 'Stable' ? 'ok' : state?.toUpperCase() === 'EMPTY' ? '' : 'warn';
  return <span className={`badge ${tone}`}>{state}</span>;
}

async function loadGroup(api: Api, id: string) {
  const [group, consumers, lags] = await Promise.all([api.group(id), api.consumers(id), api.lags(id).catch(() => [] as GroupLag[])]);
  const assignments = await Promise.all(consumers.map((c) => api.assignments(id, c.consumer_id).catch(() => [])));
  return { group, consumers: consumers.map((c, i) => ({ ...c, assignments: assignments[i] })), lags };
}

export function GroupPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const [tick, setTick] = useState(0);
  const state = useAsync(() => loadGroup(api, id), [api, id, tick]);
  const { samples, add } = useSamples(120);
  const [history, setHistory] = useState<LagPoint[] | null>(null);

  // Lag over time: the gateway's samples where it keeps them, else samples this page takes.
  useInterval(() => {
    api.lagHistory(id).then(
      (h) => {
        if (h && h.length) setHistory(h);
        else
          api.lags(id).then(
            (ls) => add(Date.now(), ls.reduce((s, l) => s + l.lag, 0)),
            () => {},
          );
      },
      () => {},
    );
  }, 5000);
  const points = history ?? samples.map(([time, lag]) => ({ time, lag }));

  return (
    <section>
      <p className="crumbs">
        <Link to="/groups">Consumer groups</Link> /
      </p>
      <h1 className="break">{id}</h1>
      <Async state={state} what="Loading the group">
        {({ group, consumers, lags }) => (
          <>
            <div className="tiles">
              <div className="tile">
                <span className="tile-value">
                  <StateBadge state={group.state} />
                </span>
                <span className="tile-label">State</span>
              </div>
              <div className="tile">
                <span className="tile-value">{consumers.length}</span>
                <span className="tile-label">Members</span>
              </div>
              <div className={`tile ${lags.some((l) => l.lag > 0) ? 'warn' : 'ok'}`}>
                <span className="tile-value" data-testid="total-lag">
                  {count(lags.reduce((s, l) => s + l.lag, 0))}
                </span>
                <span className="tile-label">Total lag</span>
              </div>
            </div>
            <h2>Members</h2>
            {consumers.length === 0 ? (
              <Empty>No members: the group is empty{group.state ? ` (${group.state})` : ''}.</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>Consumer</th>
                      <th>Client</th>
                      <th>Host</th>
                      <th>Assignment</th>
                    </tr>
                  </thead>
                  <tbody>
                    {consumers.map((c) => (
                      <tr key={c.consumer_id}>
                        <td className="mono wrap">{c.consumer_id}</td>
                        <td>{c.client_id}</td>
                        <td>{c.host}</td>
                        <td>{c.assignments.map((a) => `${a.topic_name}-${a.partition_id}`).join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <h2>Lag</h2>
            <div className="card">
              <TimeChart testId="chart-lag" times={points.map((p) => p.time)} lines={[{ label: 'total lag', values: points.map((p) => p.lag), color: '#d97706' }]} />
            </div>
            {lags.length === 0 ? (
              <Empty>The group has no committed offsets.</Empty>
            ) : (
              <div className="table-wrap">
                <table data-testid="lag-table">
                  <thead>
                    <tr>
                      <th>Topic</th>
                      <th>Partition</th>
                      <th>Committed</th>
                      <th>End</th>
                      <th>Lag</th>
                      <th>Consumer</th>
                    </tr>
                  </thead>
                  <tbody>
                    {lags
                      .slice()
                      .sort((a, b) => a.topic_name.localeCompare(b.topic_name) || a.partition_id - b.partition_id)
                      .map((l) => (
                        <tr key={`${l.topic_name}-${l.partition_id}`}>
                          <td>
                            <Link to={`/topics/${encodeURIComponent(l.topic_name)}`}>{l.topic_name}</Link>
                          </td>
                          <td>{l.partition_id}</td>
                          <td>{count(l.current_offset)}</td>
                          <td>{count(l.log_end_offset)}</td>
                          <td className={l.lag > 0 ? 'warn-text' : ''}>{count(l.lag)}</td>
                          <td className="mono wrap">{l.client_id || l.consumer_id || '—'}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            )}
            <ResetOffsets group={id} lags={lags} members={consumers.length} onDone={() => setTick((t) => t + 1)} />
          </>
        )}
      </Async>
    </section>
  );
}

export interface PreviewRow {
  topic_name: string;
  partition_id: number;
  current: number;
  target: number;
}

/**
 * Where a reset would put each partition, computed without changing anything: earliest and latest
 * from the partitions' offsets, a time by reading the first record at or after it, an offset as
 * given (within the log).
 */
export async function previewReset(api: Api, lags: GroupLag[], req: ResetRequest): Promise<PreviewRow[]> {
  const chosen = lags.filter((l) => (!req.topic_name || l.topic_name === req.topic_name) && (req.partition_id === undefined || l.partition_id === req.partition_id));
  const topics = [...new Set(chosen.map((l) => l.topic_name))];
  const parts = new Map<string, { earliest: number; latest: number }>();
  for (const t of topics) {
    for (const p of await api.partitions(t)) parts.set(`${t}-${p.partition_id}`, { earliest: p.earliest_offset, latest: p.latest_offset });
  }
  const rows: PreviewRow[] = [];
  for (const l of chosen) {
    const p = parts.get(`${l.topic_name}-${l.partition_id}`) ?? { earliest: 0, latest: l.log_end_offset };
    let target: number;
    if (req.to === 'earliest') target = p.earliest;
    else if (req.to === 'latest') target = p.latest;
    else if (req.to === 'offset') target = Math.min(Math.max(req.offset ?? 0, p.earliest), p.latest);
    else {
      const r = await api.read(l.topic_name, l.partition_id, { timestamp: req.timestamp }, 1);
      target = r.records[0]?.offset ?? r.next_offset;
    }
    rows.push({ topic_name: l.topic_name, partition_id: l.partition_id, current: l.current_offset, target });
  }
  return rows;
}

function ResetOffsets({ group, lags, members, onDone }: { group: string; lags: GroupLag[]; members: number; onDone: () => void }) {
  const api = useApi();
  // A gateway that answers /v3/auth/me (it lists the operations) also previews resets itself
  // (dry_run); an older one would apply a dry run, so its preview is computed here instead.
  const serverPreview = useSession().me?.operations != null;
  const topics = [...new Set(lags.map((l) => l.topic_name))].sort();
  const [topic, setTopic] = useState('');
  const [to, setTo] = useState<ResetRequest['to']>('earliest');
  const [offset, setOffset] = useState('0');
  const [at, setAt] = useState('');
  const [preview, setPreview] = useState<PreviewRow[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [applied, setApplied] = useState<string | null>(null);

  function request(): ResetRequest {
    return {
      to,
      topic_name: topic || undefined,
      offset: to === 'offset' ? Number(offset) : undefined,
      timestamp: to === 'timestamp' && at ? new Date(at).getTime() : undefined,
    };
  }

  async function doPreview(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setApplied(null);
    try {
      if (serverPreview) {
        const r = await api.resetOffsets(group, request(), true);
        if (!r.dry_run || !r.partitions) throw new Error('The gateway did not answer a preview.');
        setPreview(
          r.partitions.map((p) => ({ topic_name: p.topic, partition_id: p.partition, current: p.current_offset ?? -1, target: p.new_offset })),
        );
      } else {
        setPreview(await previewReset(api, lags, request()));
      }
    } catch (err) {
      setError(err as Error);
      setPreview(null);
    }
  }

  if (lags.length === 0) return null;
  return (
    <>
      <h2>Reset offsets</h2>
      {members > 0 ? <p className="muted">The group has active members: stop its consumers first; the gateway refuses a reset of a live group.</p> : null}
      <form className="toolbar wrap" onSubmit={doPreview} aria-label="Reset offsets">
        <label className="field">
          <span>Topic</span>
          <select aria-label="Topic" value={topic} onChange={(e) => (setTopic(e.target.value), setPreview(null))}>
            <option value="">all of the group's</option>
            {topics.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>To</span>
          <select aria-label="To" value={to} onChange={(e) => (setTo(e.target.value as ResetRequest['to']), setPreview(null))}>
            <option value="earliest">earliest</option>
            <option value="latest">latest</option>
            <option value="timestamp">time</option>
            <option value="offset">offset</option>
          </select>
        </label>
        {to === 'offset' ? (
          <label className="field">
            <span>Offset</span>
            <input aria-label="Offset" type="number" min={0} value={offset} onChange={(e) => (setOffset(e.target.value), setPreview(null))} />
          </label>
        ) : null}
        {to === 'timestamp' ? (
          <label className="field">
            <span>Time</span>
            <input aria-label="Time" type="datetime-local" step={1} value={at} onChange={(e) => (setAt(e.target.value), setPreview(null))} required />
          </label>
        ) : null}
        <button type="submit">Preview</button>
      </form>
      {error ? <ErrorState error={error} /> : null}
      {applied ? (
        <p className="ok-text" role="status">
          {applied}
        </p>
      ) : null}
      {preview ? (
        <>
          <div className="table-wrap">
            <table data-testid="reset-preview">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th>Partition</th>
                  <th>Committed now</th>
                  <th>After the reset</th>
                </tr>
              </thead>
              <tbody>
                {preview.map((r) => (
                  <tr key={`${r.topic_name}-${r.partition_id}`}>
                    <td>{r.topic_name}</td>
                    <td>{r.partition_id}</td>
                    <td>{r.current < 0 ? "—" : count(r.current)}</td>
                    <td>
                      <strong>{count(r.target)}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Apply reset
          </button>
        </>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={`Reset the offsets of ${group}?`}
          confirmLabel="Reset offsets"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const res = await api.resetOffsets(group, request(), false);
            setConfirming(false);
            setPreview(null);
            setApplied(`Reset ${res.offsets.length} partition(s).`);
            onDone();
          }}
        >
          <p>The group's committed offsets change to the previewed ones; its consumers start there next time.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
