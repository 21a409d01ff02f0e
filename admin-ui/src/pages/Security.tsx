import { useState, type FormEvent } from 'react';
import { NavLink, useSearchParams } from 'react-router-dom';
import { useApi, useSession } from '../auth';
import { useAsync } from '../hooks';
import { Async, Empty } from '../components/States';
import { ConfirmDialog, Modal } from '../components/Confirm';
import type { Acl, AclFilter } from '../api/types';

function SecurityTabs() {
  const { me } = useSession();
  return (
    <>
      <h1>Security</h1>
      {!me?.securityEnabled ? (
        <p className="notice">Security is off on this gateway: users and ACLs can be managed, but the gateway does not check them.</p>
      ) : null}
      <nav className="tabs">
        <NavLink to="/security/users">Users</NavLink>
        <NavLink to="/security/acls">ACLs</NavLink>
      </nav>
    </>
  );
}

export function UsersPage() {
  const api = useApi();
  const { can, me } = useSession();
  const users = useAsync(() => api.users(), [api]);
  const [creating, setCreating] = useState(false);
  const [changing, setChanging] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const mayAlter = can('ALTER');
  return (
    <section>
      <SecurityTabs />
      <div className="title-row">
        <h2>Users</h2>
        {mayAlter ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create user
          </button>
        ) : null}
      </div>
      <Async state={users} what="Loading users">
        {(list) =>
          list.length === 0 ? (
            <Empty>No users with SCRAM credentials.</Empty>
          ) : (
            <div className="table-wrap">
              <table data-testid="users">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Mechanisms</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((u) => (
                    <tr key={u.user_name}>
                      <td>
                        User:{u.user_name}
                        {u.user_name === me?.user ? <span className="badge info">you</span> : null}
                      </td>
                      <td>{u.credentials.map((c) => `${c.mechanism} (${c.iterations})`).join(', ')}</td>
                      <td className="row-actions">
                        {mayAlter ? (
                          <>
                            <button type="button" className="link" onClick={() => setChanging(u.user_name)}>
                              Change password
                            </button>
                            <button type="button" className="link danger" onClick={() => setDeleting(u.user_name)}>
                              Delete
                            </button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      {creating ? <PasswordForm title="Create user" withName onClose={() => setCreating(false)} onSave={async (n, p) => (await api.createUser(n, p), users.reload())} /> : null}
      {changing ? (
        <PasswordForm title={`New password for ${changing}`} onClose={() => setChanging(null)} onSave={async (_n, p) => api.changePassword(changing, p)} />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete user ${deleting}?`}
          typeToConfirm={deleting}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deleteUser(deleting);
            setDeleting(null);
            users.reload();
          }}
        >
          <p>Their SCRAM credentials are removed: they can no longer log in to the brokers or the gateway. Their ACLs stay.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function PasswordForm({
  title,
  withName,
  onClose,
  onSave,
}: {
  title: string;
  withName?: boolean;
  onClose: () => void;
  onSave: (name: string, password: string) => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== again) {
      setError('The passwords differ.');
      return;
    }
    try {
      await onSave(name.trim(), password);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit}>
        {withName ? (
          <label className="field">
            <span>User name</span>
            <input aria-label="User name" name="user_name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </label>
        ) : null}
        <label className="field">
          <span>Password</span>
          <input aria-label="Password" name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label className="field">
          <span>Password again</span>
          <input aria-label="Password again" name="password_again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
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

export const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER'];
export const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
];

/** ACLs grouped by resource pattern, each group titled as kafka-acls.sh --list titles it. */
export function groupAcls(acls: Acl[]): Array<{ pattern: string; acls: Acl[] }> {
  const groups = new Map<string, Acl[]>();
  for (const a of acls) {
    const key = `ResourcePattern(resourceType=${a.resource_type}, name=${a.resource_name}, patternType=${a.pattern_type})`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([pattern, list]) => ({ pattern, acls: list }));
}

export function aclEntry(a: Acl): string {
  return `(principal=${a.principal}, host=${a.host}, operation=${a.operation}, permissionType=${a.permission})`;
}

export function AclsPage() {
  const api = useApi();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const filter: AclFilter = Object.fromEntries(
    ['resource_type', 'resource_name', 'pattern_type', 'principal', 'operation', 'permission'].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])),
  );
  const acls = useAsync(() => api.acls(filter), [api, params.toString()]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Acl | null>(null);
  const set = (k: string, v: string) =>
    setParams(
      (p) => {
        if (v) p.set(k, v);
        else p.delete(k);
        return p;
      },
      { replace: true },
    );

  return (
    <section>
      <SecurityTabs />
      <div className="title-row">
        <h2>ACLs</h2>
        {can('ALTER') ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create ACL
          </button>
        ) : null}
      </div>
      <div className="toolbar wrap" aria-label="Filter ACLs">
        <label className="field">
          <span>Resource type</span>
          <select aria-label="Resource type" value={filter.resource_type ?? ''} onChange={(e) => set('resource_type', e.target.value)}>
            <option value="">any</option>
            {RESOURCE_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Resource name</span>
          <input aria-label="Resource name" value={filter.resource_name ?? ''} onChange={(e) => set('resource_name', e.target.value)} placeholder="any" />
        </label>
        <label className="field">
          <span>Principal</span>
          <input aria-label="Principal" value={filter.principal ?? ''} onChange={(e) => set('principal', e.target.value)} placeholder="User:alice" />
        </label>
        <label className="field">
          <span>Operation</span>
          <select aria-label="Operation" value={filter.operation ?? ''} onChange={(e) => set('operation', e.target.value)}>
            <option value="">any</option>
            {OPERATIONS.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Permission</span>
          <select aria-label="Permission" value={filter.permission ?? ''} onChange={(e) => set('permission', e.target.value)}>
            <option value="">any</option>
            <option>ALLOW</option>
            <option>DENY</option>
          </select>
        </label>
      </div>
      <Async state={acls} what="Loading ACLs">
        {(list) =>
          list.length === 0 ? (
            <Empty>{Object.keys(filter).length ? 'No ACL matches the filter.' : 'No ACLs. Without ACLs only super users may act.'}</Empty>
          ) : (
            <div className="acl-groups" data-testid="acls">
              {groupAcls(list).map((g) => (
                <div className="card acl-group" key={g.pattern}>
                  <div className="mono acl-pattern">Current ACLs for resource `{g.pattern}`:</div>
                  <ul>
                    {g.acls.map((a) => (
                      <li key={aclEntry(a)} className="acl-entry">
                        <span className={`mono ${a.permission === 'DENY' ? 'bad-text' : ''}`}>{aclEntry(a)}</span>
                        {can('ALTER') ? (
                          <button type="button" className="link danger" onClick={() => setDeleting(a)}>
                            Delete
                          </button>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )
        }
      </Async>
      {creating ? <CreateAcl onClose={() => setCreating(false)} onDone={acls.reload} /> : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this ACL?"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deleteAcl(deleting);
            setDeleting(null);
            acls.reload();
          }}
        >
          <p className="mono wrap">
            {deleting.resource_type}:{deleting.pattern_type}:{deleting.resource_name} {aclEntry(deleting)}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CreateAcl({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const [acl, setAcl] = useState<Acl>({
    resource_type: 'TOPIC',
    resource_name: '',
    pattern_type: 'LITERAL',
    principal: 'User:',
    host: '*',
    operation: 'READ',
    permission: 'ALLOW',
  });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof Acl) => (e: { target: { value: string } }) => setAcl({ ...acl, [k]: e.target.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.createAcl(acl);
      onDone();
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <Modal title="Create ACL" onClose={onClose}>
      <form onSubmit={submit} aria-label="Create ACL">
        <div className="row">
          <label className="field">
            <span>Resource type</span>
            <select aria-label="Resource type" name="resource_type" value={acl.resource_type} onChange={set('resource_type')}>
              {RESOURCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Pattern</span>
            <select aria-label="Pattern" name="pattern_type" value={acl.pattern_type} onChange={set('pattern_type')}>
              <option>LITERAL</option>
              <option>PREFIXED</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span>Resource name (* for all)</span>
          <input aria-label="Resource name (* for all)" name="resource_name" value={acl.resource_name} onChange={set('resource_name')} required />
        </label>
        <div className="row">
          <label className="field">
            <span>Principal</span>
            <input aria-label="Principal" name="principal" value={acl.principal} onChange={set('principal')} required />
          </label>
          <label className="field">
            <span>Host</span>
            <input aria-label="Host" name="host" value={acl.host} onChange={set('host')} required />
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>Operation</span>
            <select aria-label="Operation" name="operation" value={acl.operation} onChange={set('operation')}>
              {OPERATIONS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Permission</span>
            <select aria-label="Permission" name="permission" value={acl.permission} onChange={set('permission')}>
              <option>ALLOW</option>
              <option>DENY</option>
            </select>
          </label>
        </div>
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
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}
