import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useApi, useSession } from '../auth';
import { useAsync } from '../hooks';
import { Async, Empty } from '../components/States';
import { ConfirmDialog, Modal } from '../components/Confirm';
import { bytes } from '../format';
import type { Topic } from '../api/types';

/** Topics whose name contains the query (case-insensitive); internal ones only when asked for. */
export function filterTopics(topics: Topic[], q: string, internal: boolean): Topic[] {
  const needle = q.trim().toLowerCase();
  return topics
    .filter((t) => (internal || !t.is_internal) && t.topic_name.toLowerCase().includes(needle))
    .sort((a, b) => a.topic_name.localeCompare(b.topic_name));
}

export function TopicsPage() {
  const api = useApi();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const internal = params.get('internal') === 'true';
  const topics = useAsync(() => api.topics(), [api]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  return (
    <section>
      <div className="title-row">
        <h1>Topics</h1>
        {can('CREATE') ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create topic
          </button>
        ) : null}
      </div>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Search topics"
          aria-label="Search topics"
          value={q}
          onChange={(e) => setParams((p) => (e.target.value ? p.set('q', e.target.value) : p.delete('q'), p), { replace: true })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={internal}
            onChange={(e) => setParams((p) => (e.target.checked ? p.set('internal', 'true') : p.delete('internal'), p), { replace: true })}
          />
          internal topics
        </label>
      </div>
      <Async state={topics} what="Loading topics">
        {(list) => {
          const shown = filterTopics(list, q, internal);
          if (list.length === 0) return <Empty>No topics yet. Create one to start.</Empty>;
          if (shown.length === 0) return <Empty>No topic matches “{q}”.</Empty>;
          return (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Partitions</th>
                    <th>Replication</th>
                    <th>Size</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {shown.map((t) => (
                    <tr key={t.topic_name} data-testid={`topic-row-${t.topic_name}`}>
                      <td>
                        <Link to={`/topics/${encodeURIComponent(t.topic_name)}`}>{t.topic_name}</Link>
                        {t.is_internal ? <span className="badge">internal</span> : null}
                      </td>
                      <td>{t.partitions_count}</td>
                      <td>{t.replication_factor}</td>
                      <td data-testid={`topic-size-${t.topic_name}`}>{bytes(t.size_bytes)}</td>
                      <td className="row-actions">
                        <Link to={`/topics/${encodeURIComponent(t.topic_name)}/messages`}>Messages</Link>
                        {!t.is_internal ? (
                          <button type="button" className="link danger" onClick={() => setDeleting(t.topic_name)}>
                            Delete
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
      {creating ? <CreateTopic onClose={() => setCreating(false)} onCreated={topics.reload} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete topic ${deleting}?`}
          typeToConfirm={deleting}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deleteTopic(deleting);
            setDeleting(null);
            topics.reload();
          }}
        >
          <p>Every record of every partition is deleted. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** Parses `name=value` lines into configs; blank lines ignored. */
export function parseConfigs(text: string): Array<{ name: string; value: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const eq = l.indexOf('=');
      if (eq <= 0) throw new Error(`“${l}” is not name=value`);
      return { name: l.slice(0, eq).trim(), value: l.slice(eq + 1).trim() };
    });
}

function CreateTopic({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [replication, setReplication] = useState('');
  const [configs, setConfigs] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.createTopic({
        topic_name: name.trim(),
        partitions_count: partitions ? Number(partitions) : undefined,
        replication_factor: replication ? Number(replication) : undefined,
        configs: parseConfigs(configs),
      });
      onCreated();
      onClose();
      navigate(`/topics/${encodeURIComponent(name.trim())}`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Create topic" onClose={onClose}>
      <form onSubmit={submit} aria-label="Create topic">
        <label className="field">
          <span>Name</span>
          <input aria-label="Name" name="topic_name" value={name} onChange={(e) => setName(e.target.value)} required pattern="[a-zA-Z0-9._\-]+" autoFocus />
        </label>
        <div className="row">
          <label className="field">
            <span>Partitions</span>
            <input aria-label="Partitions" name="partitions" type="number" min={1} value={partitions} onChange={(e) => setPartitions(e.target.value)} />
          </label>
          <label className="field">
            <span>Replication factor</span>
            <input
              name="replication"
              type="number"
              min={1}
              placeholder="broker default"
              value={replication}
              onChange={(e) => setReplication(e.target.value)}
            />
          </label>
        </div>
        <label className="field">
          <span>Configs, one name=value a line</span>
          <textarea aria-label="Configs, one name=value a line" name="configs" rows={3} placeholder="retention.ms=604800000" value={configs} onChange={(e) => setConfigs(e.target.value)} />
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
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
