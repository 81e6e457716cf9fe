import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import type { PendingRefundRequest } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PAGE_SIZE, usePendingRefundRequests } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { formatDateTimeShort, formatMoney } from '../../../lib/format';
import { ResolveRefundModal } from './ResolveRefundModal';
import { CheckSummary } from './shared';

/**
 * Refund requests VNPay has not answered, oldest first: their amounts are held until VNPay's
 * answer is known. The automatic check settles most of them; an official who checked VNPay's
 * merchant portal settles one here ("refunded by VNPay" or "not refunded").
 */
export function RefundRequests({ agencyId }: { agencyId: string | undefined }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [acting, setActing] = useState<{ row: PendingRefundRequest; refunded: boolean } | null>(null);
  const list = usePendingRefundRequests(agencyId, page);
  const items = list.data?.items ?? [];
  const canResolveAny = items.some((r) => r.canResolve);

  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.refundRequests.title')}</h2>}>
      <Typography.Paragraph>{t('staffPayments.refundRequests.intro')}</Typography.Paragraph>
      {items.length > 0 && !canResolveAny ? <Alert type="info" showIcon title={t('staffPayments.refundRequests.readOnly')} style={{ marginBottom: 16 }} /> : null}
      <ErrorAlert error={list.error} />
      <ScrollRegion label={t('staffPayments.refundRequests.title')} minWidth={1100}>
        <Table<PendingRefundRequest>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={items}
          data-testid="refund-requests-table"
          locale={{ emptyText: t('staffPayments.refundRequests.empty') }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            {
              title: t('staffPayments.refundRequests.col.requested'),
              key: 'requested',
              render: (_: unknown, r) => (
                <div style={{ minWidth: 140 }}>
                  <div style={{ whiteSpace: 'nowrap' }}>{formatDateTimeShort(r.requestedAt)}</div>
                  {r.requestedBy ? <div className="muted">{t('staffPayments.refundRequests.by', { name: r.requestedBy.name })}</div> : null}
                </div>
              ),
            },
            {
              title: t('staffPayments.col.dossier'),
              key: 'dossier',
              render: (_: unknown, r) => (
                <div style={{ minWidth: 180, maxWidth: 260, whiteSpace: 'normal' }}>
                  <Link to={`/staff/dossiers/${r.dossierId}`}>{r.dossierCode ?? t('staffPayments.noCode')}</Link>
                  <div>{r.applicantName}</div>
                  <div className="muted">{r.agencyName}</div>
                </div>
              ),
            },
            {
              title: t('staffPayments.refundRequests.col.payment'),
              key: 'payment',
              render: (_: unknown, r) => (
                <>
                  <div style={{ whiteSpace: 'nowrap' }}>{r.paymentReference}</div>
                  <div className="muted" style={{ whiteSpace: 'nowrap' }}>
                    {t('staffPayments.refundRequests.requestId', { id: r.requestId })}
                  </div>
                </>
              ),
            },
            {
              title: t('staffPayments.refundRequests.col.amount'),
              key: 'amount',
              align: 'right',
              render: (_: unknown, r) => (
                <div style={{ whiteSpace: 'nowrap' }}>
                  <strong>{formatMoney(r.amountVnd)}</strong>
                  <div className="muted">{t('staffPayments.refundRequests.ofPayment', { amount: formatMoney(r.paymentAmountVnd) })}</div>
                </div>
              ),
            },
            {
              title: t('staffPayments.refundRequests.col.reason'),
              dataIndex: 'reason',
              render: (v: string) => <div style={{ minWidth: 160, maxWidth: 240, whiteSpace: 'normal' }}>{v}</div>,
            },
            { title: t('staffPayments.refundRequests.col.checks'), key: 'checks', render: (_: unknown, r) => <CheckSummary r={r} /> },
            {
              title: t('staffPayments.col.actions'),
              key: 'actions',
              render: (_: unknown, r) =>
                r.canResolve ? (
                  <Space orientation="vertical" size={4}>
                    <Button
                      size="small"
                      icon={<CheckOutlined aria-hidden />}
                      onClick={() => setActing({ row: r, refunded: true })}
                      aria-label={t('staffPayments.refundRequests.confirmFor', { amount: formatMoney(r.amountVnd), reference: r.paymentReference })}
                    >
                      {t('staffPayments.refundRequests.confirm')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      icon={<CloseOutlined aria-hidden />}
                      onClick={() => setActing({ row: r, refunded: false })}
                      aria-label={t('staffPayments.refundRequests.notAppliedFor', { amount: formatMoney(r.amountVnd), reference: r.paymentReference })}
                    >
                      {t('staffPayments.refundRequests.notApplied')}
                    </Button>
                  </Space>
                ) : (
                  <span className="muted">—</span>
                ),
            },
          ]}
        />
      </ScrollRegion>
      {acting ? <ResolveRefundModal row={acting.row} refunded={acting.refunded} onClose={() => setActing(null)} /> : null}
    </Card>
  );
}
