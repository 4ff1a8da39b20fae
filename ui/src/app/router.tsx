import { createBrowserRouter, Link, type RouteObject } from 'react-router-dom';
import { OverviewPage } from '@/features/overview/components/overview-page';
import { Layout } from './layout';

// The overview (the landing page) is in the app chunk; every other page is its own chunk,
// loaded when first visited, so the landing page parses less code.
const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) => async () => ({ Component: (await load())[name] });

function NotFound() {
  return (
    <div className="state error" role="alert">
      <h1>No such page</h1>
      <p>
        <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}

function RouteError() {
  return (
    <div className="state error" role="alert">
      <h1>This page failed to render</h1>
      <p>Reload the page; if it keeps failing, the API may have sent something unexpected.</p>
      <p>
        <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}

// The routes of CONTRACT.md section 6: each is a shareable URL (filters in the query string).
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <OverviewPage />, errorElement: <RouteError /> },
      { path: 'runs', lazy: page(() => import('@/features/runs/components/runs-page'), 'RunsPage'), errorElement: <RouteError /> },
      { path: 'runs/:id', lazy: page(() => import('@/features/runs/components/run-detail-page'), 'RunDetailPage'), errorElement: <RouteError /> },
      { path: 'clusters', lazy: page(() => import('@/features/clusters/components/clusters-page'), 'ClustersPage'), errorElement: <RouteError /> },
      { path: 'clusters/:id', lazy: page(() => import('@/features/clusters/components/cluster-detail-page'), 'ClusterDetailPage'), errorElement: <RouteError /> },
      { path: 'flaky', lazy: page(() => import('@/features/flaky/components/flaky-page'), 'FlakyPage'), errorElement: <RouteError /> },
      { path: 'incidents', lazy: page(() => import('@/features/incidents/components/incidents-page'), 'IncidentsPage'), errorElement: <RouteError /> },
      { path: 'incidents/:id', lazy: page(() => import('@/features/incidents/components/incident-detail-page'), 'IncidentDetailPage'), errorElement: <RouteError /> },
      { path: 'incidents/:id/postmortem', lazy: page(() => import('@/features/incidents/components/postmortem-page'), 'PostmortemPage'), errorElement: <RouteError /> },
      { path: 'repos', lazy: page(() => import('@/features/repos/components/repos-page'), 'ReposPage'), errorElement: <RouteError /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
