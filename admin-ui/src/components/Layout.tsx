import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../auth';
import { ErrorBoundary } from './ErrorBoundary';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/brokers', label: 'Brokers' },
  { to: '/topics', label: 'Topics' },
  { to: '/groups', label: 'Consumer groups' },
  { to: '/security/users', label: 'Security' },
];

/** The frame of every page: the header (cluster, user, logout) and the navigation. */
export function Layout() {
  const { me, logout } = useSession();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  return (
    <div className="app">
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-label="Menu" aria-expanded={open} onClick={() => setOpen(!open)}>
          ☰
        </button>
        <span className="brand">
          <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden>
            <path d="M1 9c3-4 5 4 8 0s5 4 6 0" stroke="currentColor" strokeWidth="2" fill="none" />
          </svg>
          Brook
        </span>
        <span className="spacer" />
        {me?.securityEnabled ? (
          <>
            <span className="user" data-testid="current-user">
              {me.user}
            </span>
            <button type="button" onClick={logout}>
              Log out
            </button>
          </>
        ) : (
          <span className="badge warn" title="brook.gateway.security.enabled is false">
            security off
          </span>
        )}
      </header>
      <nav className={open ? 'sidenav open' : 'sidenav'} onClick={() => setOpen(false)}>
        {NAV.map((n) => (
          <NavLink
            key={n.to}
            to={n.to}
            end={n.end}
            className={({ isActive }) =>
              isActive || (n.to.startsWith('/security') && location.pathname.startsWith('/security')) ? 'active' : ''
            }
          >
            {n.label}
          </NavLink>
        ))}
      </nav>
      <main className="content">
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}
