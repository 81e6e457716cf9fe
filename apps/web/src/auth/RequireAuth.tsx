import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { OfficialRole } from '@motcua/contracts';
import { Loading } from '../components/PageState';
import { ErrorAlert } from '../components/ErrorAlert';
import { ForbiddenPage } from '../pages/NotFoundPage';
import { hasRole, homeFor, useMe } from './session';

/**
 * Guards a part of the site. Visitors go to /signin (and come back afterwards); a signed-in
 * user of the wrong kind goes to their own home; a missing role shows a 403 page.
 */
export function RequireAuth({
  kind,
  roles,
  children,
}: {
  kind?: 'citizen' | 'official';
  roles?: OfficialRole[];
  children: ReactNode;
}) {
  const location = useLocation();
  const { data: me, isPending, error } = useMe();
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} />;
  if (!me) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  if (kind && me.kind !== kind) return <Navigate to={homeFor(me)} replace />;
  if (roles && !hasRole(me, ...roles)) return <ForbiddenPage />;
  return <>{children}</>;
}
