import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth/AuthContext';
import PageLoading from './components/PageLoading';
import ErrorBoundary from './components/ErrorBoundary';
import BasicLayout from './layouts/BasicLayout';

// One chunk per page.
const LoginPage = lazy(() => import('./pages/user/login'));
const ChangePasswordPage = lazy(() => import('./pages/user/change-password'));
const WorkbenchPage = lazy(() => import('./pages/workbench'));
const TodosPage = lazy(() => import('./pages/todos'));
const CustomerListPage = lazy(() => import('./pages/customers/list'));
const CustomerFormPage = lazy(() => import('./pages/customers/form'));
const CustomerDetailPage = lazy(() => import('./pages/customers/detail'));
const UsersPage = lazy(() => import('./pages/admin/users'));
const DepartmentsPage = lazy(() => import('./pages/admin/departments'));
const RolesPage = lazy(() => import('./pages/admin/roles'));
const PendingChangesPage = lazy(() => import('./pages/admin/pending-changes'));
const FieldsPage = lazy(() => import('./pages/admin/fields'));
const AuditPage = lazy(() => import('./pages/admin/audit'));
const OutboxPage = lazy(() => import('./pages/operations/outbox'));
const JobsPage = lazy(() => import('./pages/operations/jobs'));
const CalendarPage = lazy(() => import('./pages/admin/calendar'));
const NotFoundPage = lazy(() => import('./pages/exception/not-found'));
const ForbiddenPage = lazy(() => import('./pages/exception/forbidden'));

function Page({ children, permission }: { children: ReactNode; permission?: string }) {
  const { can } = useAuth();
  if (permission && !can(permission)) {
    return (
      <Suspense fallback={<PageLoading />}>
        <ForbiddenPage />
      </Suspense>
    );
  }
  return (
    <ErrorBoundary>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </ErrorBoundary>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (session === undefined) return <PageLoading />;
  if (session === null) {
    const from = location.pathname + location.search;
    return <Navigate to={`/login?redirect=${encodeURIComponent(from)}`} replace />;
  }
  if (session.must_change_password && location.pathname !== '/account/password') {
    return <Navigate to="/account/password" replace />;
  }
  return <>{children}</>;
}


export default function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Page><LoginPage /></Page>} />
      <Route
        element={
          <RequireSession>
            <BasicLayout />
          </RequireSession>
        }
      >
        {/* Every role lands on the workbench; it shows each only what applies to them. */}
        <Route index element={<Navigate to="/workbench" replace />} />
        <Route path="/workbench" element={<Page><WorkbenchPage /></Page>} />
        <Route path="/todos" element={<Page><TodosPage /></Page>} />
        <Route path="/account/password" element={<Page><ChangePasswordPage /></Page>} />
        <Route path="/customers" element={<Page permission="customer.read"><CustomerListPage /></Page>} />
        <Route path="/customers/new" element={<Page permission="customer.write"><CustomerFormPage /></Page>} />
        <Route path="/customers/:id" element={<Page permission="customer.read"><CustomerDetailPage /></Page>} />
        <Route path="/customers/:id/edit" element={<Page permission="customer.write"><CustomerFormPage /></Page>} />
        <Route path="/admin/users" element={<Page permission="user.read"><UsersPage /></Page>} />
        <Route path="/admin/departments" element={<Page permission="department.admin"><DepartmentsPage /></Page>} />
        <Route path="/admin/roles" element={<Page permission="role.admin"><RolesPage /></Page>} />
        <Route path="/admin/pending-changes" element={<Page permission="user.read"><PendingChangesPage /></Page>} />
        <Route path="/admin/fields" element={<Page permission="entity.admin"><FieldsPage /></Page>} />
        <Route path="/admin/audit" element={<Page permission="audit.read"><AuditPage /></Page>} />
        <Route path="/admin/calendar" element={<Page permission="calendar.admin"><CalendarPage /></Page>} />
        <Route path="/operations/outbox" element={<Page permission="operations.admin"><OutboxPage /></Page>} />
        <Route path="/operations/jobs" element={<Page permission="operations.admin"><JobsPage /></Page>} />
        <Route path="*" element={<Page><NotFoundPage /></Page>} />
      </Route>
    </Routes>
  );
}
