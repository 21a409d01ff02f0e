import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../auth';

/** Log in with a user's SCRAM password; the gateway answers a bearer token (POST /v3/auth/token). */
export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (session.status === 'ready') {
    if (!session.me?.securityEnabled)
      return (
        <div className="login">
          <div className="card login-card">
            <h1>Brook</h1>
            <p>Security is off on this gateway: no login is needed.</p>
            <button type="button" onClick={() => navigate('/')}>
              Open the dashboard
            </button>
          </div>
        </div>
      );
    return <Navigate to={from} replace />;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.login(user, password);
      setPassword('');
      navigate(from, { replace: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <form className="card login-card" onSubmit={submit} aria-label="Log in">
        <h1>
          <svg width="26" height="26" viewBox="0 0 16 16" aria-hidden>
            <path d="M1 9c3-4 5 4 8 0s5 4 6 0" stroke="currentColor" strokeWidth="2" fill="none" />
          </svg>{' '}
          Brook
        </h1>
        <p className="muted">Log in with your Brook user (the SCRAM credentials the brokers check).</p>
        <label className="field">
          <span>User</span>
          <input aria-label="User" name="username" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required autoFocus />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
