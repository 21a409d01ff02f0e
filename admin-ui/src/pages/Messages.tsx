import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../auth';
import { ApiError, fromBase64, toBase64, type Api } from '../api/client';
import { Empty, ErrorState } from '../components/States';
import { recordText, time } from '../format';
import type { RecordView, SearchProgress } from '../api/types';

type Mode = 'browse' | 'search' | 'tail' | 'produce';
const MODES: Array<[Mode, string]> = [
  ['browse', 'Browse'],
  ['search', 'Search'],
  ['tail', 'Live tail'],
  ['produce', 'Produce'],
];

/** The Messages tab; its mode is in the address (`?mode=tail`), so each has its own link. */
export function MessagesTab({ topic, partitions }: { topic: string; partitions: number }) {
  const [params, setParams] = useSearchParams();
  const mode = (params.get('mode') as Mode) || 'browse';
  return (
    <>
      <div className="segmented" role="tablist">
        {MODES.map(([m, label]) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'active' : ''}
            onClick={() => setParams({ mode: m })}
          >
            {label}
          </button>
        ))}
      </div>
      {mode === 'browse' ? <Browse topic={topic} partitions={partitions} /> : null}
      {mode === 'search' ? <Search topic={topic} partitions={partitions} /> : null}
      {mode === 'tail' ? <Tail topic={topic} /> : null}
      {mode === 'produce' ? <Produce topic={topic} partitions={partitions} /> : null}
    </>
  );
}

export function RecordTable({ records, testId }: { records: RecordView[]; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="records" data-testid={testId}>
        <thead>
          <tr>
            <th>Partition</th>
            <th>Offset</th>
            <th>Timestamp</th>
            <th>Key</th>
            <th>Value</th>
            <th>Headers</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={`${r.partition_id}:${r.offset}`}>
              <td>{r.partition_id}</td>
              <td>{r.offset}</td>
              <td className="nowrap">{time(r.timestamp)}</td>
              <td className="mono wrap">{recordText(r.key)}</td>
              <td className="mono wrap value">{recordText(r.value)}</td>
              <td className="mono wrap">{r.headers?.map((h) => `${h.name}=${fromBase64(h.value)}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PartitionSelect({ value, onChange, partitions, any }: { value: string; onChange: (v: string) => void; partitions: number; any?: string }) {
  return (
    <label className="field">
      <span>Partition</span>
      <select aria-label="Partition" value={value} onChange={(e) => onChange(e.target.value)}>
        {any ? <option value="">{any}</option> : null}
        {Array.from({ length: partitions }, (_, i) => (
          <option key={i} value={String(i)}>
            {i}
          </option>
        ))}
      </select>
    </label>
  );
}

function Browse({ topic, partitions }: { topic: string; partitions: number }) {
  const api = useApi();
  const [partition, setPartition] = useState('0');
  const [by, setBy] = useState<'offset' | 'time'>('offset');
  const [offset, setOffset] = useState('0');
  const [at, setAt] = useState('');
  const [records, setRecords] = useState<RecordView[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function read(from: { offset?: number; timestamp?: number }, append: boolean) {
    setBusy(true);
    setError(null);
    try {
      const r = await api.read(topic, Number(partition), from, 50);
      setRecords((prev) => (append && prev ? [...prev, ...r.records] : r.records));
      setNext(r.next_offset);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (by === 'offset') void read({ offset: Number(offset || 0) }, false);
    else void read({ timestamp: at ? new Date(at).getTime() : Date.now() }, false);
  }

  return (
    <>
      <form className="toolbar wrap" onSubmit={submit} aria-label="Browse">
        <PartitionSelect value={partition} onChange={setPartition} partitions={partitions} />
        <label className="field">
          <span>From</span>
          <select aria-label="From" value={by} onChange={(e) => setBy(e.target.value as 'offset' | 'time')}>
            <option value="offset">offset</option>
            <option value="time">time</option>
          </select>
        </label>
        {by === 'offset' ? (
          <label className="field">
            <span>Offset</span>
            <input aria-label="Offset" type="number" min={0} value={offset} onChange={(e) => setOffset(e.target.value)} />
          </label>
        ) : (
          <label className="field">
            <span>Time</span>
            <input aria-label="Time" type="datetime-local" step={1} value={at} onChange={(e) => setAt(e.target.value)} />
          </label>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Read
        </button>
      </form>
      {error ? <ErrorState error={error} /> : null}
      {records === null ? (
        <Empty>Choose a partition and where to start, then Read.</Empty>
      ) : records.length === 0 ? (
        <Empty>No records there (next offset {next}).</Empty>
      ) : (
        <>
          <RecordTable records={records} testId="browse-records" />
          <button type="button" disabled={busy} onClick={() => next !== null && read({ offset: next }, true)}>
            Load more
          </button>
        </>
      )}
    </>
  );
}

/** Does a record's key or value contain the text (case-sensitive, as the gateway's search)? */
export function matches(r: RecordView, q: string, where: 'key' | 'value' | 'both'): boolean {
  const needle = q;
  const k = recordText(r.key);
  const v = recordText(r.value);
  return (where !== 'value' && k.includes(needle)) || (where !== 'key' && v.includes(needle));
}

/**
 * A bounded scan done by the page, for gateways without records:search: reads each partition from
 * its start in pages, at most `maxScan` records in all, reporting progress; stops when aborted.
 */
export async function scanInBrowser(
  api: Api,
  topic: string,
  partitions: number[],
  q: string,
  where: 'key' | 'value' | 'both',
  maxScan: number,
  onRecord: (r: RecordView) => void,
  onProgress: (p: SearchProgress) => void,
  signal: AbortSignal,
): Promise<SearchProgress> {
  let scanned = 0;
  let matched = 0;
  for (const p of partitions) {
    let offset = 0;
    for (;;) {
      if (signal.aborted || scanned >= maxScan) return { scanned, matched };
      const page = await api.read(topic, p, { offset }, Math.min(500, maxScan - scanned), signal);
      if (page.records.length === 0) break;
      for (const r of page.records) {
        scanned++;
        if (matches(r, q, where)) {
          matched++;
          onRecord(r);
        }
      }
      offset = page.next_offset;
      onProgress({ scanned, matched });
    }
  }
  return { scanned, matched };
}

function Search({ topic, partitions }: { topic: string; partitions: number }) {
  const api = useApi();
  const [q, setQ] = useState('');
  const [where, setWhere] = useState<'key' | 'value' | 'both'>('both');
  const [partition, setPartition] = useState('');
  const [maxScan, setMaxScan] = useState('10000');
  const [found, setFound] = useState<RecordView[]>([]);
  const [progress, setProgress] = useState<SearchProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  async function start(e: FormEvent) {
    e.preventDefault();
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setFound([]);
    setProgress({ scanned: 0, matched: 0 });
    setError(null);
    setFinished(null);
    setRunning(true);
    const limit = Number(maxScan) || 10000;
    const add = (r: RecordView) => setFound((f) => [...f, r].slice(0, 500));
    try {
      try {
        await api.search(
          topic,
          { q, in: where, partition: partition === '' ? undefined : Number(partition), max_scanned: limit, max_matches: 500 },
          (ev) => {
            if (ev.kind === 'record') add(ev.data as RecordView);
            else if (ev.kind === 'progress' || ev.kind === 'done') setProgress((p) => ({ ...p, ...(ev.data as SearchProgress) }));
          },
          ctl.signal,
        );
      } catch (err) {
        if (!(err instanceof ApiError && (err.notFound || err.status === 405))) throw err;
        // This gateway has no records:search: scan from the browser, with the same bounds.
        const parts = partition === '' ? Array.from({ length: partitions }, (_, i) => i) : [Number(partition)];
        await scanInBrowser(api, topic, parts, q, where, limit, add, setProgress, ctl.signal);
      }
      setFinished(ctl.signal.aborted ? 'Stopped.' : 'Done.');
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err as Error);
      else setFinished('Stopped.');
    } finally {
      setRunning(false);
    }
  }

  function stop() {
    abort.current?.abort();
  }

  const pct = progress?.total ? Math.min(100, Math.round(((progress.scanned ?? 0) * 100) / progress.total)) : null;
  return (
    <>
      <form className="toolbar wrap" onSubmit={start} aria-label="Search">
        <label className="field grow">
          <span>Text</span>
          <input aria-label="Text" name="q" value={q} onChange={(e) => setQ(e.target.value)} required placeholder="text in the key or value" />
        </label>
        <label className="field">
          <span>In</span>
          <select aria-label="In" value={where} onChange={(e) => setWhere(e.target.value as 'key' | 'value' | 'both')}>
            <option value="both">key or value</option>
            <option value="key">key</option>
            <option value="value">value</option>
          </select>
        </label>
        <PartitionSelect value={partition} onChange={setPartition} partitions={partitions} any="all" />
        <label className="field">
          <span>Scan at most</span>
          <input aria-label="Scan at most" type="number" min={1} value={maxScan} onChange={(e) => setMaxScan(e.target.value)} />
        </label>
        {running ? (
          <button type="button" className="danger" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary">
            Search
          </button>
        )}
      </form>
      {progress ? (
        <div className="progress" data-testid="search-progress">
          <div className="bar">
            <div className={pct === null && running ? 'fill indeterminate' : 'fill'} style={{ width: `${pct ?? (running ? 30 : 100)}%` }} />
          </div>
          <span>
            scanned {progress.scanned ?? 0}
            {progress.total ? ` of ${progress.total}` : ''}, matched {progress.matches ?? progress.matched ?? found.length}
            {progress.reason && progress.reason !== 'end' ? ` (stopped at ${progress.reason})` : ''}
            {finished ? ` — ${finished}` : ''}
          </span>
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {found.length ? <RecordTable records={found} testId="search-records" /> : progress && !running ? <Empty>No record matches.</Empty> : null}
      {!progress ? <Empty>Search scans a bounded number of records for the text; it can be stopped at any time.</Empty> : null}
    </>
  );
}

/** Credits granted at a time on the consume socket. */
const CREDITS = 50;
/** A socket whose handshake has neither opened nor failed after this long is dropped and opened again. */
export const OPEN_TIMEOUT_MS = 10_000;

function Tail({ topic }: { topic: string }) {
  const api = useApi();
  const [records, setRecords] = useState<RecordView[]>([]);
  const [status, setStatus] = useState<'connecting' | 'live' | 'paused' | 'closed'>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState<'end' | 'beginning'>('end');
  const socket = useRef<WebSocket | null>(null);
  const paused = useRef(false);
  const outstanding = useRef(0);
  // Records that arrive on credits granted before a pause: held, shown on resume.
  const held = useRef<RecordView[]>([]);
  const [heldCount, setHeldCount] = useState(0);

  useEffect(() => {
    let closed = false;
    let ws: WebSocket | null = null;
    let openTimer: ReturnType<typeof setTimeout> | undefined;
    setRecords([]);
    setError(null);
    setStatus('connecting');
    held.current = [];
    setHeldCount(0);
    const connect = (url: string) => {
      const current = new WebSocket(url, api.protocols());
      ws = current;
      socket.current = current;
      outstanding.current = CREDITS;
      paused.current = false;
      // A handshake that hangs (a stalled proxy or server) would leave the tail "connecting"
      // for good: drop it and open another.
      openTimer = setTimeout(() => {
        if (!closed && current.readyState === WebSocket.CONNECTING) {
          current.onclose = null;
          current.close();
          connect(url);
        }
      }, OPEN_TIMEOUT_MS);
      current.onopen = () => {
        clearTimeout(openTimer);
        setStatus('live');
      };
      current.onmessage = (ev) => {
        const frame = JSON.parse(String(ev.data));
        if (frame.type === 'error') {
          setError(frame.message ?? 'error');
          return;
        }
        if (frame.type !== 'record') return;
        outstanding.current--;
        if (paused.current) {
          held.current.push(frame as RecordView);
          setHeldCount(held.current.length);
          return;
        }
        setRecords((r) => [frame as RecordView, ...r].slice(0, 200));
        // Top the credits up while live; paused, the server stops once they are used.
        if (!paused.current && outstanding.current <= CREDITS / 2) {
          current.send(JSON.stringify({ type: 'credit', n: CREDITS }));
          outstanding.current += CREDITS;
        }
      };
      current.onclose = (ev) => {
        clearTimeout(openTimer);
        if (!closed) {
          setStatus('closed');
          if (ev.code !== 1000) setError(ev.reason || `closed (${ev.code})`);
        }
      };
    };
    api.socketUrl(topic, { from, credits: CREDITS }).then(
      (url) => {
        if (!closed) connect(url);
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      closed = true;
      clearTimeout(openTimer);
      ws?.close(1000);
      socket.current = null;
    };
  }, [api, topic, from]);

  function pause() {
    paused.current = true;
    setStatus('paused');
  }

  function resume() {
    paused.current = false;
    setStatus('live');
    const shown = held.current.reverse();
    held.current = [];
    setHeldCount(0);
    setRecords((r) => [...shown, ...r].slice(0, 200));
    const top = CREDITS - Math.max(0, outstanding.current);
    if (top > 0 && socket.current?.readyState === WebSocket.OPEN) {
      socket.current.send(JSON.stringify({ type: 'credit', n: top }));
      outstanding.current += top;
    }
  }

  return (
    <>
      <div className="toolbar wrap">
        <span className={`badge ${status === 'live' ? 'ok' : status === 'paused' ? 'warn' : status === 'closed' ? 'bad' : ''}`} data-testid="tail-status">
          {status}
        </span>
        {status === 'live' ? (
          <button type="button" onClick={pause}>
            Pause
          </button>
        ) : status === 'paused' ? (
          <>
            <button type="button" className="primary" onClick={resume}>
              Resume
            </button>
            <span className="muted" data-testid="tail-held">
              {heldCount} held
            </span>
          </>
        ) : null}
        <label className="field inline">
          <span>Start at</span>
          <select aria-label="Start at" value={from} onChange={(e) => setFrom(e.target.value as 'end' | 'beginning')}>
            <option value="end">new records</option>
            <option value="beginning">the beginning</option>
          </select>
        </label>
        <button type="button" onClick={() => setRecords([])}>
          Clear
        </button>
      </div>
      {error ? <ErrorState error={new Error(error)} /> : null}
      {records.length ? (
        <RecordTable records={records} testId="tail-records" />
      ) : (
        <Empty>{status === 'live' ? 'Waiting for records… (newest first)' : 'No records.'}</Empty>
      )}
    </>
  );
}

function Produce({ topic, partitions }: { topic: string; partitions: number }) {
  const api = useApi();
  const [partition, setPartition] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [type, setType] = useState<'STRING' | 'JSON'>('STRING');
  const [headers, setHeaders] = useState<Array<{ name: string; value: string }>>([]);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      let data: unknown = value;
      if (type === 'JSON') {
        try {
          data = JSON.parse(value);
        } catch {
          throw new Error('The value is not valid JSON.');
        }
      }
      const r = await api.produce(topic, {
        partition_id: partition === '' ? undefined : Number(partition),
        key: key ? { type: 'STRING', data: key } : undefined,
        value: { type, data },
        headers: headers.filter((h) => h.name).map((h) => ({ name: h.name, value: toBase64(h.value) })),
      });
      setResult(`Written to partition ${r.partition_id} at offset ${r.offset}.`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card produce" onSubmit={submit} aria-label="Produce">
      <div className="row">
        <PartitionSelect value={partition} onChange={setPartition} partitions={partitions} any="by key" />
        <label className="field">
          <span>Value type</span>
          <select aria-label="Value type" value={type} onChange={(e) => setType(e.target.value as 'STRING' | 'JSON')}>
            <option value="STRING">string</option>
            <option value="JSON">JSON</option>
          </select>
        </label>
      </div>
      <label className="field">
        <span>Key</span>
        <input aria-label="Key" name="key" value={key} onChange={(e) => setKey(e.target.value)} placeholder="none" />
      </label>
      <label className="field">
        <span>Value</span>
        <textarea aria-label="Value" name="value" rows={4} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <fieldset>
        <legend>Headers</legend>
        {headers.map((h, i) => (
          <div className="row" key={i}>
            <input
              aria-label={`header ${i + 1} name`}
              placeholder="name"
              value={h.name}
              onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
            />
            <input
              aria-label={`header ${i + 1} value`}
              placeholder="value"
              value={h.value}
              onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
            />
            <button type="button" className="link danger" onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setHeaders([...headers, { name: '', value: '' }])}>
          Add header
        </button>
      </fieldset>
      {error ? <ErrorState error={error} /> : null}
      {result ? (
        <p className="ok-text" role="status" data-testid="produce-result">
          {result}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Producing…' : 'Produce'}
        </button>
      </div>
    </form>
  );
}
