import { createBrowserRouter, Link, type RouteObject } from 'react-router-dom';
import { ClusterDetailPage } from '@/features/clusters/components/cluster-detail-page';
import { ClustersPage } from '@/features/clusters/components/clusters-page';
import { FlakyPage } from '@/features/flaky/components/flaky-page';
import { IncidentDetailPage } from '@/features/incidents/components/incident-detail-page';
import { IncidentsPage } from '@/features/incidents/components/incidents-page';
import { PostmortemPage } from '@/features/incidents/components/postmortem-page';
import { OverviewPage } from '@/features/overview/components/overview-page';
import { ReposPage } from '@/features/repos/components/repos-page';
import { RunDetailPage } from '@/features/runs/components/run-detail-page';
import { RunsPage } from '@/features/runs/components/runs-page';
import { Layout } from './layout';

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
      { path: 'runs', element: <RunsPage />, errorElement: <RouteError /> },
      { path: 'runs/:id', element: <RunDetailPage />, errorElement: <RouteError /> },
      { path: 'clusters', element: <ClustersPage />, errorElement: <RouteError /> },
      { path: 'clusters/:id', element: <ClusterDetailPage />, errorElement: <RouteError /> },
      { path: 'flaky', element: <FlakyPage />, errorElement: <RouteError /> },
      { path: 'incidents', element: <IncidentsPage />, errorElement: <RouteError /> },
      { path: 'incidents/:id', element: <IncidentDetailPage />, errorElement: <RouteError /> },
      { path: 'incidents/:id/postmortem', element: <PostmortemPage />, errorElement: <RouteError /> },
      { path: 'repos', element: <ReposPage />, errorElement: <RouteError /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
