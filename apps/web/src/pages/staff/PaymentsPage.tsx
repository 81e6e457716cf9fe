import { Alert, Button, Select, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/session';
import { PageTitle } from '../../components/PageState';
import { useDocumentTitle } from '../../lib/use-document-title';
import { usePendingRefundRequests } from '../../api/staff-payments';
import { BankStatements } from './payments/BankStatements';
import { DailyReport } from './payments/DailyReport';
import { PaymentsList } from './payments/PaymentsList';
import { RefundRequests } from './payments/RefundRequests';
import { WrappingTabs } from '../../components/WrappingTabs';
import { grantsFor, MANAGE_ROLES, useAgencyOptions } from './payments/shared';

const TABS = ['list', 'refunds', 'report', 'statements'] as const;
type Tab = (typeof TABS)[number];

/**
 * Fees paid on dossiers, for the officials who keep the accounts: payments by agency and period
 * with e-receipts and refunds, the daily reconciliation with the gateway (and its .xlsx/.csv),
 * bank-statement imports and the review of transfers that matched nothing, and the refunds VNPay
 * has not answered yet (announced above the tabs while there are any). The tab and the agency are
 * in the URL, so a view can be bookmarked or shared.
 */
export function PaymentsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('staffPayments.title'));
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'list';
  const { options, loading } = useAgencyOptions(me);
  const chosen = params.get('agency') ?? undefined;
  // Only agencies the official may read: anything else in the URL is ignored once the list is known.
  const agencyId = chosen && (loading || options.some((o) => o.value === chosen)) ? chosen : undefined;
  const manageRoots = grantsFor(me, MANAGE_ROLES);
  const canManage = manageRoots.length > 0;
  // A statement belongs to one agency: with several, the official picks it above.
  const needsAgency = !agencyId && manageRoots.length > 1;
  const waitingRefunds = usePendingRefundRequests(agencyId, 1).data?.total ?? 0;

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageTitle>{t('staffPayments.title')}</PageTitle>
      <Typography.Paragraph className="lead">{t('staffPayments.intro')}</Typography.Paragraph>
      <div style={{ marginBottom: 16, maxWidth: 520 }}>
        <label htmlFor="payments-agency" className="field-label">
          {t('staffPayments.agency')}
        </label>
        <Select<string>
          id="payments-agency"
          style={{ width: '100%' }}
          value={agencyId ?? ''}
          onChange={(v) => update({ agency: v || undefined })}
          showSearch={{ optionFilterProp: 'label' }}
          loading={loading}
          options={[{ value: '', label: t('staffPayments.allAgencies') }, ...options]}
        />
      </div>
      {waitingRefunds > 0 && tab !== 'refunds' ? (
        <Alert
          type="warning"
          showIcon
          data-testid="refund-requests-banner"
          title={t('staffPayments.refundRequests.banner', { count: waitingRefunds })}
          action={
            <Button size="small" onClick={() => update({ tab: 'refunds' })}>
              {t('staffPayments.refundRequests.show')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <WrappingTabs<Tab>
        id="payments"
        label={t('staffPayments.tabs.label')}
        active={tab}
        onChange={(k) => update({ tab: k === 'list' ? undefined : k })}
        tabs={TABS.map((k) => ({
          key: k,
          label: k === 'refunds' && waitingRefunds > 0 ? t('staffPayments.tabs.refundsCount', { count: waitingRefunds }) : t(`staffPayments.tabs.${k}`),
        }))}
      >
        {tab === 'list' ? <PaymentsList agencyId={agencyId} canManage={canManage} /> : null}
        {tab === 'refunds' ? <RefundRequests agencyId={agencyId} /> : null}
        {tab === 'report' ? <DailyReport agencyId={agencyId} canManage={canManage} /> : null}
        {tab === 'statements' ? <BankStatements agencyId={agencyId} canManage={canManage} needsAgency={needsAgency} /> : null}
      </WrappingTabs>
    </>
  );
}
