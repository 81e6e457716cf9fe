import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Tag } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { AgencyList, Me, OfficialRole, PaymentMethod, PaymentStatus } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { agencyName } from '../../../api/agencies';
import { api } from '../../../api/client';
import { PRIMARY } from '../../../lib/theme';

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

/**
 * ARIA tabs (WAI-ARIA APG, automatic activation) whose tab list wraps on a narrow screen:
 * antd's Tabs hide overflowing tabs behind a button inside the tab list instead.
 */
export function SectionTabs<K extends string>({
  id,
  label,
  tabs,
  active,
  onChange,
  children,
}: {
  id: string;
  label: string;
  tabs: { key: K; label: string }[];
  active: K;
  onChange: (key: K) => void;
  children: ReactNode;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const move = (e: KeyboardEvent, i: number) => {
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length]!;
    onChange(next.key);
    refs.current.get(next.key)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} style={{ display: 'flex', flexWrap: 'wrap', columnGap: 8, borderBottom: '1px solid #d9d9d9', marginBottom: 16 }}>
        {tabs.map((tab, i) => {
          const selected = tab.key === active;
          return (
            <button
              key={tab.key}
              ref={(el) => {
                if (el) refs.current.set(tab.key, el);
                else refs.current.delete(tab.key);
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${tab.key}`}
              aria-selected={selected}
              aria-controls={`${id}-panel`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(tab.key)}
              onKeyDown={(e) => move(e, i)}
              style={{
                background: 'none',
                border: 0,
                borderBottom: `3px solid ${selected ? PRIMARY : 'transparent'}`,
                marginBottom: -1,
                padding: '10px 12px',
                font: 'inherit',
                fontSize: 15,
                fontWeight: selected ? 600 : 400,
                color: selected ? PRIMARY : 'rgb(0 0 0 / 88%)',
                cursor: 'pointer',
              }}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`}>
        {children}
      </div>
    </>
  );
}
