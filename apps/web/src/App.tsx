import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiRequestError, setCsrfToken } from './api/client';
import { ME_KEY } from './auth/session';
import { RequireAuth } from './auth/RequireAuth';
import { ComingSoonPage, Loading } from './components/PageState';
import { PublicLayout } from './components/PublicLayout';
import { theme } from './lib/theme';
import { AgenciesPage } from './pages/AgenciesPage';
import { HomePage } from './pages/HomePage';
import { LookupPage } from './pages/LookupPage';
import { MePage } from './pages/MePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProceduresPage } from './pages/ProceduresPage';
import { SigninPage } from './pages/SigninPage';
import { SignupPage } from './pages/SignupPage';

// The staff console is loaded only by officials.
const StaffLayout = lazy(() => import('./components/StaffLayout').then((m) => ({ default: m.StaffLayout })));
const StaffHomePage = lazy(() => import('./pages/staff/StaffHomePage').then((m) => ({ default: m.StaffHomePage })));
const AuditPage = lazy(() => import('./pages/staff/AuditPage').then((m) => ({ default: m.AuditPage })));
const AdminAgenciesPage = lazy(() => import('./pages/admin/AdminAgenciesPage').then((m) => ({ default: m.AdminAgenciesPage })));
const AdminOfficialsPage = lazy(() => import('./pages/admin/AdminOfficialsPage').then((m) => ({ default: m.AdminOfficialsPage })));

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

function StaffComingSoon({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return <ComingSoonPage title={t(titleKey)} description={t('staff.featureComingSoon')} />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route index element={<HomePage />} />
        <Route path="procedures" element={<ProceduresPage />} />
        <Route path="lookup" element={<LookupPage />} />
        <Route path="agencies" element={<AgenciesPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="signin" element={<SigninPage />} />
        <Route
          path="me"
          element={
            <RequireAuth kind="citizen">
              <MePage />
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
        <Route
          path="reception"
          element={
            <Staff roles={['reception_officer']}>
              <StaffComingSoon titleKey="staffMenu.reception" />
            </Staff>
          }
        />
        <Route
          path="processing"
          element={
            <Staff roles={['specialist', 'division_head', 'agency_leader']}>
              <StaffComingSoon titleKey="staffMenu.processing" />
            </Staff>
          }
        />
        <Route
          path="support"
          element={
            <Staff roles={['support_agent']}>
              <StaffComingSoon titleKey="staffMenu.support" />
            </Staff>
          }
        />
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
