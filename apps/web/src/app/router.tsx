import { Button, Result, Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Outlet, useLocation, useRouteError } from 'react-router';
import { useAuth } from './auth';
import { AppLayout, useMenuItems } from './layout';
import { ErrorState } from './ui';

const LoginPage = lazy(() => import('../modules/auth/LoginPage'));
const PublicTicketPage = lazy(() => import('../modules/tickets/PublicTicketPage'));
const TicketsPage = lazy(() => import('../modules/tickets/TicketsPage'));
const TicketNewPage = lazy(() => import('../modules/tickets/TicketNewPage'));
const TicketPage = lazy(() => import('../modules/tickets/TicketPage'));
const HotlinesPage = lazy(() => import('../modules/tickets/HotlinesPage'));
const ChangePasswordPage = lazy(() => import('../modules/auth/ChangePasswordPage'));
const NetworkPage = lazy(() => import('../modules/network/NetworkPage'));
const CoveragePage = lazy(() => import('../modules/coverage/CoveragePage'));
const DailyReportsPage = lazy(() => import('../modules/daily-reports/DailyReportsPage'));
const DailyReportSettingsPage = lazy(() => import('../modules/daily-reports/DailyReportSettingsPage'));
const UsersPage = lazy(() => import('../modules/users/UsersPage'));
const AuditPage = lazy(() => import('../modules/audit/AuditPage'));
const ClientsPage = lazy(() => import('../modules/clients/ClientsPage'));
const ClientPage = lazy(() => import('../modules/clients/ClientPage'));
const ImportWizardPage = lazy(() => import('../modules/imports/ImportWizardPage'));
const VisitNewPage = lazy(() => import('../modules/visits/VisitNewPage'));
const OverduePage = lazy(() => import('../modules/visits/OverduePage'));
const NeedsPage = lazy(() => import('../modules/needs/NeedsPage'));
const NominationsPage = lazy(() => import('../modules/needs/NominationsPage'));
const HouseholdsPage = lazy(() => import('../modules/households/HouseholdsPage'));
const HouseholdPage = lazy(() => import('../modules/households/HouseholdPage'));
const DuplicatesPage = lazy(() => import('../modules/duplicates/DuplicatesPage'));
const CategoriesPage = lazy(() => import('../modules/settings/CategoriesPage'));
const ErrandsPage = lazy(() => import('../modules/errands/ErrandsPage'));
const CasesPage = lazy(() => import('../modules/cases/CasesPage'));
const CasePage = lazy(() => import('../modules/cases/CasePage'));
const GroupsPage = lazy(() => import('../modules/cases/GroupsPage'));
const CaseSettingsPage = lazy(() => import('../modules/cases/CaseSettingsPage'));
const ReferralsPage = lazy(() => import('../modules/referrals/ReferralsPage'));
const ProblemReportsPage = lazy(() => import('../modules/problem-reports/ProblemReportsPage'));
const VolunteersPage = lazy(() => import('../modules/volunteers/VolunteersPage'));
const VolunteerPage = lazy(() => import('../modules/volunteers/VolunteerPage'));
const CertificatePage = lazy(() => import('../modules/volunteers/CertificatePage'));
const TeamsPage = lazy(() => import('../modules/volunteers/TeamsPage'));
const ActivitiesPage = lazy(() => import('../modules/volunteers/ActivitiesPage'));
const ActivityPage = lazy(() => import('../modules/volunteers/ActivityPage'));
const MyVolunteerPage = lazy(() => import('../modules/volunteers/MyVolunteerPage'));
const CheckinPage = lazy(() => import('../modules/volunteers/CheckinPage'));
const JoinPage = lazy(() => import('../modules/volunteers/JoinPage'));

function FullPageSpin() {
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" data-testid="app-loading" />
    </div>
  );
}

/** Signed-in area: no session → sign-in; a forced password change → only that screen. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, error, retry } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageSpin />;
  if (error && !user) return <ErrorState error={error} onRetry={retry} />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (user.mustChangePassword)
    return (
      <Suspense fallback={<FullPageSpin />}>
        <ChangePasswordPage forced />
      </Suspense>
    );
  return <>{children}</>;
}

/** Shown instead of a blank page when a screen throws while rendering. */
function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('common.crashed')}
      subTitle={error instanceof Error ? error.message : String(error)}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      }
      data-testid="route-error"
    />
  );
}

/** A screen the user's role does not open sends them to the first one it does. */
function RequirePermission({ permission, children }: { permission: string | string[]; children: ReactNode }) {
  const { can } = useAuth();
  return (Array.isArray(permission) ? permission.some(can) : can(permission)) ? children : <Home />;
}

function Home() {
  const items = useMenuItems();
  const first = items[0];
  return <Navigate to={first && typeof first.key === 'string' ? first.key : '/change-password'} replace />;
}

function Root() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Outlet />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // 网上求助: the public help form, no sign-in.
      { path: '/help', element: <PublicTicketPage /> },
      // 志愿者报名: the public volunteer registration, no sign-in.
      { path: '/join', element: <JoinPage /> },
      {
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        errorElement: <RouteError />,
        children: [
          {
            // errors of one screen keep the shell around them
            errorElement: <RouteError />,
            children: [
              { index: true, element: <Home /> },
              {
                path: 'network',
                element: (
                  <RequirePermission permission="network.read">
                    <NetworkPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'coverage',
                element: (
                  <RequirePermission permission="coverage.read">
                    <CoveragePage />
                  </RequirePermission>
                ),
              },
              {
                path: 'daily-report',
                element: (
                  <RequirePermission permission="daily_reports.read">
                    <DailyReportsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'errands',
                element: (
                  <RequirePermission permission="errands.read">
                    <ErrandsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'problem-reports',
                element: (
                  <RequirePermission permission={['problem_reports.write', 'tickets.read']}>
                    <ProblemReportsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'volunteers',
                element: (
                  <RequirePermission permission="volunteers.read">
                    <VolunteersPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'volunteers/:id',
                element: (
                  <RequirePermission permission="volunteers.read">
                    <VolunteerPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'volunteers/:id/certificate',
                element: (
                  <RequirePermission permission="volunteers.read">
                    <CertificatePage />
                  </RequirePermission>
                ),
              },
              {
                path: 'volunteer-teams',
                element: (
                  <RequirePermission permission="volunteers.read">
                    <TeamsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'activities',
                element: (
                  <RequirePermission permission="activities.read">
                    <ActivitiesPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'activities/:id',
                element: (
                  <RequirePermission permission="activities.read">
                    <ActivityPage />
                  </RequirePermission>
                ),
              },
              // The signed-in volunteer's own pages; the QR code of an activity opens v/checkin.
              { path: 'my/volunteer', element: <MyVolunteerPage /> },
              { path: 'my/volunteer/certificate', element: <CertificatePage /> },
              { path: 'v/checkin/:id', element: <CheckinPage /> },
              {
                path: 'cases',
                element: (
                  <RequirePermission permission="cases.read">
                    <CasesPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'case-groups',
                element: (
                  <RequirePermission permission="cases.read">
                    <GroupsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'referrals',
                element: (
                  <RequirePermission permission="referrals.read">
                    <ReferralsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'cases/:id',
                element: (
                  <RequirePermission permission="cases.read">
                    <CasePage />
                  </RequirePermission>
                ),
              },
              {
                path: 'clients',
                element: (
                  <RequirePermission permission="clients.read">
                    <ClientsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'clients/import',
                element: (
                  <RequirePermission permission="clients.write">
                    <ImportWizardPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'clients/:id',
                element: (
                  <RequirePermission permission="clients.read">
                    <ClientPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'households',
                element: (
                  <RequirePermission permission="clients.read">
                    <HouseholdsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'households/:id',
                element: (
                  <RequirePermission permission="clients.read">
                    <HouseholdPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'duplicates',
                element: (
                  <RequirePermission permission="clients.read">
                    <DuplicatesPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'needs',
                element: (
                  <RequirePermission permission="clients.read">
                    <NeedsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'nominations',
                element: (
                  <RequirePermission permission="clients.read">
                    <NominationsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'visits',
                element: (
                  <RequirePermission permission="visits.read">
                    <OverduePage />
                  </RequirePermission>
                ),
              },
              {
                path: 'visits/new',
                element: (
                  <RequirePermission permission="visits.write">
                    <VisitNewPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'tickets',
                element: (
                  <RequirePermission permission="tickets.read">
                    <TicketsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'tickets/new',
                element: (
                  <RequirePermission permission="tickets.write">
                    <TicketNewPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'tickets/:id',
                element: (
                  <RequirePermission permission="tickets.read">
                    <TicketPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'hotlines',
                element: (
                  <RequirePermission permission="tickets.read">
                    <HotlinesPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'users',
                element: (
                  <RequirePermission permission="users.read">
                    <UsersPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'audit',
                element: (
                  <RequirePermission permission="audit.read">
                    <AuditPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'settings/cases',
                element: (
                  <RequirePermission permission="settings.write">
                    <CaseSettingsPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'settings/categories',
                element: (
                  <RequirePermission permission="settings.write">
                    <CategoriesPage />
                  </RequirePermission>
                ),
              },
              {
                path: 'settings/daily-reports',
                element: (
                  <RequirePermission permission="settings.write">
                    <DailyReportSettingsPage />
                  </RequirePermission>
                ),
              },
              { path: 'settings', element: <Navigate to="/settings/categories" replace /> },
              { path: 'change-password', element: <ChangePasswordPage /> },
              { path: '*', element: <Home /> },
            ],
          },
        ],
      },
    ],
  },
]);
