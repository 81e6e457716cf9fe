import { Tag } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { AgencyList, Me, OfficialRole, PaymentMethod, PaymentStatus, PendingRefundRequest } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { agencyName } from '../../../api/agencies';
import { api } from '../../../api/client';
import { formatDateTimeShort } from '../../../lib/format';

/** payment.read and payment.manage of the server's policy. */
export const READ_ROLES: OfficialRole[] = ['reception_officer', 'division_head', 'agency_leader', 'province_admin', 'auditor'];
export const MANAGE_ROLES: OfficialRole[] = ['division_head', 'agency_leader', 'province_admin'];

export const PAYMENT_METHODS: PaymentMethod[] = ['vnpay', 'vietqr', 'cash'];
export const PAYMENT_STATUSES: PaymentStatus[] = ['pending', 'paid', 'failed', 'expired', 'cancelled'];

/** Solid colours with white text (WCAG AA), as the dossier status tags. */
const STATUS_COLOR: Record<PaymentStatus, string> = {
  pending: '#8a5300',
  paid: '#1e6b34',
  failed: '#8c1d18',
  expired: '#595959',
  cancelled: '#595959',
};

export function PaymentStatusTag({ status }: { status: PaymentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`staffPayments.status.${status}`)}
    </Tag>
  );
}

const ROW_COLOR: Record<string, string> = {
  matched: '#1e6b34',
  resolved: '#1e6b34',
  unmatched: '#8a5300',
  dismissed: '#595959',
  duplicate: '#595959',
  ignored: '#595959',
};

export function StatementRowTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={ROW_COLOR[status] ?? '#595959'}>{t(`staffPayments.rowStatus.${status}`, { defaultValue: status })}</Tag>;
}

/** The user's grants that let them read payments, one per agency. */
export function grantsFor(me: Me | null | undefined, roles: OfficialRole[]) {
  const seen = new Map<string, { id: string; code: string; name: string }>();
  for (const g of me?.roles ?? []) if (roles.includes(g.role)) seen.set(g.agencyId, { id: g.agencyId, code: g.agencyCode, name: g.agencyName });
  return [...seen.values()];
}

/**
 * The agencies an official may pick on the payments page: each agency they hold a reading role in,
 * followed by the agencies directly under it (the server covers whole subtrees).
 */
export function useAgencyOptions(me: Me | null | undefined): { options: { value: string; label: string }[]; loading: boolean } {
  const { i18n } = useTranslation();
  const roots = grantsFor(me, READ_ROLES);
  const children = useQueries({
    queries: roots.map((r) => {
      const query = { parentId: r.id, limit: 200, offset: 0 };
      return { queryKey: ['agencies', query], queryFn: () => api.get<AgencyList>('/agencies', query), staleTime: 5 * 60_000 };
    }),
  });
  const options: { value: string; label: string }[] = [];
  const seen = new Set<string>();
  roots.forEach((r, i) => {
    if (!seen.has(r.id)) options.push({ value: r.id, label: `${r.name} (${r.code})` });
    seen.add(r.id);
    for (const c of children[i]?.data?.items ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      options.push({ value: c.id, label: `– ${agencyName(c, i18n.language)} (${c.code})` });
    }
  });
  return { options, loading: !me || children.some((c) => c.isPending) };
}

/** Today's date in Vietnam (GMT+7), as the reports count days. */
export function todayInVietnam(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** What the automatic checks found so far, in words. */
export function CheckSummary({ r }: { r: PendingRefundRequest }) {
  const { t } = useTranslation();
  const c = r.checks;
  return (
    <div style={{ minWidth: 200, maxWidth: 300, whiteSpace: 'normal' }}>
      {r.firstAnswer ? <div className="muted">{t('staffPayments.refundRequests.firstAnswer', { answer: r.firstAnswer })}</div> : null}
      {r.status === 'requested' && c.count === 0 ? <div>{t('staffPayments.refundRequests.inFlight')}</div> : null}
      <div>
        {c.count === 0
          ? t('staffPayments.refundRequests.checksNone')
          : t('staffPayments.refundRequests.checksCount', { count: c.count, date: formatDateTimeShort(c.lastAt) })}
      </div>
      {c.lastOutcome ? (
        <div>
          <strong>{t(`staffPayments.refundRequests.outcome.${c.lastOutcome}`)}</strong>
          {c.lastDetail ? <span className="muted"> ({c.lastDetail})</span> : null}
        </div>
      ) : null}
      {c.nextAt ? <div className="muted">{t('staffPayments.refundRequests.next', { date: formatDateTimeShort(c.nextAt) })}</div> : null}
    </div>
  );
}
