import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { OfficialRole } from '@motcua/contracts';
import { ApiRequestError, setCsrfToken } from './api/client';
import { ME_KEY } from './auth/session';
import { RequireAuth } from './auth/RequireAuth';
import { Loading } from './components/PageState';
import { PublicLayout } from './components/PublicLayout';
import { theme } from './lib/theme';
import { AgenciesPage } from './pages/AgenciesPage';
import { HomePage } from './pages/HomePage';
import { LookupPage } from './pages/LookupPage';
import { MePage } from './pages/MePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { MyDossierPage } from './pages/MyDossierPage';
import { MyDossiersPage } from './pages/MyDossiersPage';
import { ProcedurePage } from './pages/ProcedurePage';
import { ProceduresPage } from './pages/ProceduresPage';
import { SigninPage } from './pages/SigninPage';
import { SignupPage } from './pages/SignupPage';
import { PaymentReturnPage } from './pages/PaymentReturnPage';
import { VerifyPage } from './pages/VerifyPage';
import { StatisticsPage } from './pages/StatisticsPage';
import { MessagesPage } from './pages/MessagesPage';
import { FeedbackFormPage } from './pages/feedback/FeedbackFormPage';
import { MyFeedbackPage } from './pages/feedback/MyFeedbackPage';
import { MyFeedbackDetailPage } from './pages/feedback/MyFeedbackDetailPage';
import { PublishedFeedbackPage } from './pages/feedback/PublishedFeedbackPage';

// The staff console is loaded only by officials.
const StaffLayout = lazy(() => import('./components/StaffLayout').then((m) => ({ default: m.StaffLayout })));
const StaffHomePage = lazy(() => import('./pages/staff/StaffHomePage').then((m) => ({ default: m.StaffHomePage })));
const AuditPage = lazy(() => import('./pages/staff/AuditPage').then((m) => ({ default: m.AuditPage })));
const AdminAgenciesPage = lazy(() => import('./pages/admin/AdminAgenciesPage').then((m) => ({ default: m.AdminAgenciesPage })));
const AdminOfficialsPage = lazy(() => import('./pages/admin/AdminOfficialsPage').then((m) => ({ default: m.AdminOfficialsPage })));
const AdminProceduresPage = lazy(() => import('./pages/admin/AdminProceduresPage').then((m) => ({ default: m.AdminProceduresPage })));
const AdminProcedureEditPage = lazy(() =>
  import('./pages/admin/AdminProcedureEditPage').then((m) => ({ default: m.AdminProcedureEditPage })),
);
const AdminCalendarPage = lazy(() => import('./pages/admin/AdminCalendarPage').then((m) => ({ default: m.AdminCalendarPage })));
const QueuePage = lazy(() => import('./pages/staff/QueuePage').then((m) => ({ default: m.QueuePage })));
const StaffDossierPage = lazy(() => import('./pages/staff/StaffDossierPage').then((m) => ({ default: m.StaffDossierPage })));
const ReportsDashboardPage = lazy(() => import('./pages/staff/ReportsDashboardPage').then((m) => ({ default: m.ReportsDashboardPage })));
const PaymentsPage = lazy(() => import('./pages/staff/PaymentsPage').then((m) => ({ default: m.PaymentsPage })));
const SupportMessagesPage = lazy(() => import('./pages/staff/SupportMessagesPage').then((m) => ({ default: m.SupportMessagesPage })));
const AdminCertificatesPage = lazy(() =>
  import('./pages/admin/AdminCertificatesPage').then((m) => ({ default: m.AdminCertificatesPage })),
);
const AdminTemplatesPage = lazy(() => import('./pages/admin/AdminTemplatesPage').then((m) => ({ default: m.AdminTemplatesPage })));
const StaffFeedbackPage = lazy(() => import('./pages/staff/FeedbackPage').then((m) => ({ default: m.FeedbackPage })));
const IntakePage = lazy(() => import('./pages/staff/IntakePage').then((m) => ({ default: m.IntakePage })));
// The online form renderer (@rjsf) is loaded only where a form is filled in.
const SubmitPage = lazy(() => import('./pages/SubmitPage').then((m) => ({ default: m.SubmitPage })));

const DOSSIER_ROLES: OfficialRole[] = ['reception_officer', 'specialist', 'division_head', 'agency_leader'];

/**
 * A session that expired (or was revoked) answers 401 `authentication_required`: forget the
 * user so that the route guards send them to sign in. A refused CSRF token means the session
 * changed in another tab: fetch the current one.
 */
function onApiError(error: unknown): void {
  if (!(error instanceof ApiRequestError)) return;
  if (error.status === 401 && error.code === 'authentication_required') {
    setCsrfToken(null);
    queryClient.setQueryData(ME_KEY, null);
  } else if (error.status === 403 && error.code === 'csrf_failed') {
    void queryClient.invalidateQueries({ queryKey: ME_KEY });
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip or a 5xx may.
      retry: (count, error) => count < 2 && !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

function Staff({ children, roles }: { children: ReactNode; roles?: Parameters<typeof RequireAuth>[0]['roles'] }) {
  return (
    <RequireAuth kind="official" roles={roles}>
      {children}
    </RequireAuth>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route index element={<HomePage />} />
        <Route path="procedures" element={<ProceduresPage />} />
        <Route path="procedures/:id" element={<ProcedurePage />} />
        <Route
          path="procedures/:id/submit"
          element={
            <RequireAuth kind="citizen">
              <Suspense fallback={<Loading />}>
                <SubmitPage />
              </Suspense>
            </RequireAuth>
          }
        />
        <Route path="lookup" element={<LookupPage />} />
        <Route path="agencies" element={<AgenciesPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="signin" element={<SigninPage />} />
        <Route path="thanh-toan/ket-qua" element={<PaymentReturnPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="thong-ke" element={<StatisticsPage />} />
        <Route path="statistics" element={<StatisticsPage />} />
        <Route path="me/messages" element={<RequireAuth kind="citizen"><MessagesPage /></RequireAuth>} />
        <Route path="phan-anh" element={<FeedbackFormPage />} />
        <Route path="phan-anh/cong-khai" element={<PublishedFeedbackPage />} />
        <Route path="me/feedback" element={<RequireAuth kind="citizen"><MyFeedbackPage /></RequireAuth>} />
        <Route path="me/feedback/new" element={<RequireAuth kind="citizen"><FeedbackFormPage /></RequireAuth>} />
        <Route path="me/feedback/:id" element={<RequireAuth kind="citizen"><MyFeedbackDetailPage /></RequireAuth>} />
        <Route
          path="me"
          element={
            <RequireAuth kind="citizen">
              <MePage />
            </RequireAuth>
          }
        />
        <Route
          path="me/dossiers"
          element={
            <RequireAuth kind="citizen">
              <MyDossiersPage />
            </RequireAuth>
          }
        />
        <Route
          path="me/dossiers/:id"
          element={
            <RequireAuth kind="citizen">
              <MyDossierPage />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route
        path="staff"
        element={
          <Staff>
            <Suspense fallback={<Loading />}>
              <StaffLayout />
            </Suspense>
          </Staff>
        }
      >
        <Route index element={<StaffHomePage />} />
        <Route path="reception" element={<Navigate to="/staff/queues/to_receive" replace />} />
        <Route path="processing" element={<Navigate to="/staff/queues/in_progress" replace />} />
        <Route
          path="queues/:queue"
          element={
            <Staff roles={DOSSIER_ROLES}>
              <QueuePage />
            </Staff>
          }
        />
        <Route
          path="dossiers/:id"
          element={
            <Staff roles={DOSSIER_ROLES}>
              <StaffDossierPage />
            </Staff>
          }
        />
        <Route
          path="intake"
          element={
            <Staff roles={['reception_officer']}>
              <IntakePage />
            </Staff>
          }
        />
        <Route
          path="support"
          element={
            <Staff roles={['support_agent', 'province_admin']}>
              <SupportMessagesPage />
            </Staff>
          }
        />
        <Route
          path="payments"
          element={
            <Staff roles={['reception_officer', 'division_head', 'agency_leader', 'province_admin', 'auditor']}>
              <PaymentsPage />
            </Staff>
          }
        />
        <Route
          path="admin/certificates"
          element={
            <Staff roles={['agency_admin', 'province_admin']}>
              <AdminCertificatesPage />
            </Staff>
          }
        />
        <Route
          path="admin/templates"
          element={
            <Staff roles={['province_admin']}>
              <AdminTemplatesPage />
            </Staff>
          }
        />
        <Route path="feedback" element={<Staff roles={['reception_officer', 'specialist', 'division_head', 'agency_leader', 'support_agent']}><StaffFeedbackPage /></Staff>} />
        <Route path="reports" element={<Staff roles={['division_head', 'agency_leader', 'agency_admin', 'province_admin', 'auditor']}><ReportsDashboardPage /></Staff>} />
        <Route
          path="audit"
          element={
            <Staff roles={['auditor']}>
              <AuditPage />
            </Staff>
          }
        />
        <Route
          path="admin/agencies"
          element={
            <Staff roles={['agency_admin', 'province_admin']}>
              <AdminAgenciesPage />
            </Staff>
          }
        />
        <Route
          path="admin/officials"
          element={
            <Staff roles={['agency_admin', 'province_admin']}>
              <AdminOfficialsPage />
            </Staff>
          }
        />
        <Route
          path="admin/procedures"
          element={
            <Staff roles={['agency_admin', 'province_admin']}>
              <AdminProceduresPage />
            </Staff>
          }
        />
        <Route
          path="admin/procedures/:id"
          element={
            <Staff roles={['agency_admin', 'province_admin']}>
              <AdminProcedureEditPage />
            </Staff>
          }
        />
        <Route
          path="admin/calendar"
          element={
            <Staff roles={['province_admin']}>
              <AdminCalendarPage />
            </Staff>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : viVN}
      theme={theme}
      // The default loading icon is named "loading" and its exit animation can stay in the
      // accessibility tree, renaming the button; a hidden icon keeps the button's own name.
      button={{ loadingIcon: <LoadingOutlined aria-hidden spin /> }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <AppRoutes />
            </Suspense>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
