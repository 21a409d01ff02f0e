import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { SessionProvider, useSession } from './auth';
import { Layout } from './components/Layout';
import { ErrorState, Loading } from './components/States';
import { LoginPage } from './pages/Login';
import { OverviewPage } from './pages/Overview';
import { BrokerPage, BrokersPage } from './pages/Brokers';
import { TopicsPage } from './pages/Topics';
import { TopicPage } from './pages/Topic';
import { GroupPage, GroupsPage } from './pages/Groups';
import { AclsPage, UsersPage } from './pages/Security';
import type { Api } from './api/client';

/** Pages that need a session: the login page first when there is none. */
function Guarded() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'checking') return <Loading what="Connecting to the gateway" />;
  if (session.status === 'error' && session.error)
    return (
      <div className="centered">
        <ErrorState error={session.error} onRetry={session.retry} />
      </div>
    );
  if (session.status === 'anonymous') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Layout />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<Guarded />}>
        <Route index element={<OverviewPage />} />
        <Route path="brokers" element={<BrokersPage />} />
        <Route path="brokers/:id" element={<BrokerPage />} />
        <Route path="topics" element={<TopicsPage />} />
        <Route path="topics/:name" element={<TopicPage tab="partitions" />} />
        <Route path="topics/:name/messages" element={<TopicPage tab="messages" />} />
        <Route path="topics/:name/configs" element={<TopicPage tab="configs" />} />
        <Route path="groups" element={<GroupsPage />} />
        <Route path="groups/:id" element={<GroupPage />} />
        <Route path="security" element={<Navigate to="/security/users" replace />} />
        <Route path="security/users" element={<UsersPage />} />
        <Route path="security/acls" element={<AclsPage />} />
        <Route path="*" element={<ErrorState error={new Error('There is no page at this address.')} />} />
      </Route>
    </Routes>
  );
}

export function App({ api }: { api?: Api }) {
  return (
    <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
      <SessionProvider api={api}>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
