import { useRef, useState, type FormEvent } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router-dom';
import { useApi } from '../auth';
import { useAsync, useInterval, useSamples } from '../hooks';
import { Async, Empty, ErrorState } from '../components/States';
import { ConfirmDialog, Modal } from '../components/Confirm';
import { TimeChart } from '../components/TimeChart';
import { bytes, count, rate } from '../format';
import { MessagesTab } from './Messages';
import type { ConfigEntry, Partition } from '../api/types';

type Tab = 'partitions' | 'messages' | 'configs';

export function TopicPage({ tab }: { tab: Tab }) {
  const { name = '' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const topic = useAsync(() => api.topic(name), [api, name]);
  const [deleting, setDeleting] = useState(false);
  const base = `/topics/${encodeURIComponent(name)}`;
  return (
    <section>
      <p className="crumbs">
        <Link to="/topics">Topics</Link> /
      </p>
      <div className="title-row">
        <h1 className="break">{name}</h1>
        {topic.data && !topic.data.is_internal ? (
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete topic
          </button>
        ) : null}
      </div>
      {topic.error ? (
        <ErrorState error={topic.error} onRetry={topic.reload} />
      ) : (
        <>
          <nav className="tabs">
            <NavLink to={base} end>
              Partitions
            </NavLink>
            <NavLink to={`${base}/messages`}>Messages</NavLink>
            <NavLink to={`${base}/configs`}>Configs</NavLink>
          </nav>
          {tab === 'partitions' ? <PartitionsTab topic={name} onChanged={topic.reload} /> : null}
          {tab === 'messages' ? <MessagesTab topic={name} partitions={topic.data?.partitions_count ?? 1} /> : null}
          {tab === 'configs' ? <ConfigsTab topic={name} /> : null}
        </>
      )}
      {deleting ? (
        <ConfirmDialog
          title={`Delete topic ${name}?`}
          typeToConfirm={name}
          onCancel={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteTopic(name);
            navigate('/topics');
          }}
        >
          <p>Every record of every partition is deleted. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function PartitionsTab({ topic, onChanged }: { topic: string; onChanged: () => void }) {
  const api = useApi();
  const [tick, setTick] = useState(0);
  const parts = useAsync(() => api.partitions(topic), [api, topic, tick]);
  const { samples, add } = useSamples(60);
  const last = useRef<{ t: number; end: number } | null>(null);
  const [adding, setAdding] = useState(false);

  // Message rate: the growth of the partitions' end offsets between samples this page takes.
  useInterval(() => {
    api.partitions(topic).then(
      (ps) => {
        const end = ps.reduce((s, p) => s + p.latest_offset, 0);
        const now = Date.now();
        if (last.current) add(now, Math.max(0, ((end - last.current.end) * 1000) / (now - last.current.t)));
        last.current = { t: now, end };
      },
      () => {},
    );
  }, 5000);

  return (
    <>
      <Async state={parts} what="Loading partitions">
        {(list) => (
          <>
            <div className="tiles">
              <div className="tile">
                <span className="tile-value">{list.length}</span>
                <span className="tile-label">Partitions</span>
              </div>
              <div className="tile">
                <span className="tile-value">{count(list.reduce((s, p) => s + (p.latest_offset - p.earliest_offset), 0))}</span>
                <span className="tile-label">Records</span>
              </div>
              <div className={`tile ${underReplicated(list) ? 'warn' : 'ok'}`}>
                <span className="tile-value">{underReplicated(list)}</span>
                <span className="tile-label">Under-replicated</span>
              </div>
              <div className="tile">
                <span className="tile-value" data-testid="message-rate">
                  {rate(samples.at(-1)?.[1])}
                </span>
                <span className="tile-label">Messages/s</span>
              </div>
            </div>
            <div className="title-row">
              <h2>Partitions</h2>
              <button type="button" onClick={() => setAdding(true)}>
                Add partitions
              </button>
            </div>
            <PartitionTable partitions={list} />
          </>
        )}
      </Async>
      <h2>Message rate</h2>
      <div className="card">
        <TimeChart times={samples.map((s) => s[0])} lines={[{ label: 'messages/s', values: samples.map((s) => s[1]), color: '#2563eb' }]} />
      </div>
      {adding && parts.data ? (
        <AddPartitions
          topic={topic}
          current={parts.data.length}
          onClose={() => setAdding(false)}
          onDone={() => {
            setTick((t) => t + 1);
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}

export function underReplicated(ps: Partition[]): number {
  return ps.filter((p) => p.isr_ids.length < p.replica_ids.length).length;
}

export function PartitionTable({ partitions }: { partitions: Partition[] }) {
  if (partitions.length === 0) return <Empty>No partitions.</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Partition</th>
            <th>Leader</th>
            <th>Replicas</th>
            <th>ISR</th>
            <th>Earliest</th>
            <th>Latest</th>
            <th>Records</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => {
            const urp = p.isr_ids.length < p.replica_ids.length;
            return (
              <tr key={p.partition_id} className={urp ? 'row-warn' : ''} data-testid={`partition-${p.partition_id}`}>
                <td>{p.partition_id}</td>
                <td>{p.leader_id ?? <span className="badge bad">offline</span>}</td>
                <td>{p.replica_ids.join(', ')}</td>
                <td>
                  {p.isr_ids.join(', ')}
                  {urp ? <span className="badge warn">under-replicated</span> : null}
                </td>
                <td>{count(p.earliest_offset)}</td>
                <td>{count(p.latest_offset)}</td>
                <td>{count(p.latest_offset - p.earliest_offset)}</td>
                <td>{bytes(p.size_bytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AddPartitions({ topic, current, onClose, onDone }: { topic: string; current: number; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const [n, setN] = useState(String(current + 1));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.addPartitions(topic, Number(n));
      onDone();
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal title="Add partitions" onClose={onClose}>
      <form onSubmit={submit}>
        <p className="muted">
          {topic} has {current} partitions. Partitions can be added, never removed; keys may map to other partitions afterwards.
        </p>
        <label className="field">
          <span>New partition count</span>
          <input aria-label="New partition count" type="number" min={current + 1} value={n} onChange={(e) => setN(e.target.value)} required />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Add
          </button>
        </div>
      </form>
    </Modal>
  );
}

function ConfigsTab({ topic }: { topic: string }) {
  const api = useApi();
  const configs = useAsync(() => api.topicConfigs(topic), [api, topic]);
  const [editing, setEditing] = useState<ConfigEntry | null>(null);
  const [resetting, setResetting] = useState<ConfigEntry | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(false);
  return (
    <>
      <div className="toolbar">
        <label className="check">
          <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} /> only values set on the topic
        </label>
        <button type="button" onClick={() => setEditing({ name: '', value: '' })}>
          Set a config
        </button>
      </div>
      <Async state={configs} what="Loading configs">
        {(list) => {
          const shown = list.filter((c) => !onlyChanged || !c.is_default);
          return shown.length === 0 ? (
            <Empty>No config set on this topic; the brokers' defaults apply.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Value</th>
                    <th>Source</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <tr key={c.name} className={c.is_default ? 'muted' : ''}>
                      <td>
                        <code>{c.name}</code>
                      </td>
                      <td className="wrap">{c.is_sensitive ? '(sensitive)' : (c.value ?? 'null')}</td>
                      <td>{c.source}</td>
                      <td className="row-actions">
                        {!c.is_read_only ? (
                          <button type="button" className="link" onClick={() => setEditing(c)}>
                            Edit
                          </button>
                        ) : null}
                        {!c.is_default && !c.is_read_only ? (
                          <button type="button" className="link danger" onClick={() => setResetting(c)}>
                            Reset
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Async>
      {editing ? <EditConfig topic={topic} config={editing} onClose={() => setEditing(null)} onDone={configs.reload} /> : null}
      {resetting ? (
        <ConfirmDialog
          title={`Reset ${resetting.name}?`}
          confirmLabel="Reset to default"
          onCancel={() => setResetting(null)}
          onConfirm={async () => {
            await api.alterTopicConfigs(topic, [{ name: resetting.name, operation: 'DELETE' }]);
            setResetting(null);
            configs.reload();
          }}
        >
          <p>The topic goes back to the broker's default for {resetting.name}.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function EditConfig({ topic, config, onClose, onDone }: { topic: string; config: ConfigEntry; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const [name, setName] = useState(config.name);
  const [value, setValue] = useState(config.value ?? '');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.alterTopicConfigs(topic, [{ name: name.trim(), value, operation: 'SET' }]);
      onDone();
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <Modal title={config.name ? `Edit ${config.name}` : 'Set a config'} onClose={onClose}>
      <form onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} readOnly={!!config.name} required />
        </label>
        <label className="field">
          <span>Value</span>
          <input aria-label="Value" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
