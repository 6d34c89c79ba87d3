/**
 * The app's routes, under `/ui/` as Kestra's UI has them (the server's execution links point there):
 * the login page, and the pages inside the shell, for a signed-in user only. Pages other than the flows
 * list are separate chunks, loaded when first visited.
 */
import { lazy } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { useSession } from './auth/session.ts';
import { AppShell } from './layout/AppShell.tsx';
import { FlowsPage } from './pages/FlowsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

const FlowEditorPage = lazy(() => import('./editor/FlowEditorPage.tsx'));
const RunPage = lazy(() => import('./run/RunPage.tsx'));
const ExecutionPage = lazy(() => import('./execution/ExecutionPage.tsx'));
const ExecutionsPage = lazy(() => import('./executions/ExecutionsPage.tsx'));
const TriggersPage = lazy(() => import('./triggers/TriggersPage.tsx'));
const NamespacesPage = lazy(() => import('./namespaces/NamespacesPage.tsx'));
const NamespacePage = lazy(() => import('./namespaces/NamespacePage.tsx'));
const DashboardPage = lazy(() => import('./dashboards/DashboardPage.tsx'));
const AdminPage = lazy(() => import('./admin/AdminPage.tsx'));
const BlueprintsPage = lazy(() => import('./blueprints/BlueprintsPage.tsx'));

/** The shell for a signed-in user; else the login page, which comes back here after. */
const SignedIn = () => {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/ui/login" replace state={{ from: location }} />;
  return <AppShell session={session} />;
};

const router = createBrowserRouter([
  { path: '/', element: <Navigate to="/ui/flows" replace /> },
  { path: '/ui/login', element: <LoginPage /> },
  {
    path: '/ui',
    element: <SignedIn />,
    children: [
      { index: true, element: <Navigate to="/ui/flows" replace /> },
      { path: 'flows', element: <FlowsPage /> },
      { path: 'flows/new', element: <FlowEditorPage /> },
      { path: 'flows/edit/:namespace/:id', element: <FlowEditorPage /> },
      { path: 'flows/run/:namespace/:id', element: <RunPage /> },
      { path: 'executions/:namespace/:flowId/:id', element: <ExecutionPage /> },
      { path: 'executions', element: <ExecutionsPage /> },
      { path: 'triggers', element: <TriggersPage /> },
      { path: 'namespaces', element: <NamespacesPage /> },
      { path: 'namespaces/:namespace', element: <NamespacePage /> },
      { path: 'dashboards', element: <DashboardPage /> },
      { path: 'admin/:tab?', element: <AdminPage /> },
      { path: 'blueprints', element: <BlueprintsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);

export const App = () => <RouterProvider router={router} />;
