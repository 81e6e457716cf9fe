import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Col, Input, Row, Select, Space, Statistic, Table } from 'antd';
import { DownloadOutlined, RollbackOutlined } from '@ant-design/icons';
import type { PaymentMethod, PaymentStatus, StaffPayment } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { receiptUrl } from '../../../api/payments';
import type { Period } from '../../../api/reports';
import { PAGE_SIZE, useStaffPayments, type StaffPaymentFilters } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { PeriodPicker, presetPeriod, type PresetKey } from '../../../components/PeriodPicker';
import { formatDateTimeShort, formatMoney } from '../../../lib/format';
import { RefundModal } from './RefundModal';
import { PAYMENT_METHODS, PAYMENT_STATUSES, PaymentStatusTag } from './shared';

/** The payments of the chosen agency and period, filtered by status, method and text; refunds from a settled payment. */
export function PaymentsList({ agencyId, canManage }: { agencyId: string | undefined; canManage: boolean }) {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<PresetKey>('thisMonth');
  const [period, setPeriod] = useState<Period>(() => presetPeriod('thisMonth'));
  const [by, setBy] = useState<'created' | 'paid'>('created');
  const [status, setStatus] = useState<PaymentStatus | undefined>();
  const [method, setMethod] = useState<PaymentMethod | undefined>();
  const [refundDue, setRefundDue] = useState(false);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState<{ key: string; page: number }>({ key: '', page: 1 });
  const [refunding, setRefunding] = useState<StaffPayment | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const filters: StaffPaymentFilters = { agencyId, ...period, by, status, method, refundDue, q: q || undefined };
  // A new filter starts again at the first page.
  const filtersKey = JSON.stringify(filters);
  const page = paging.key === filtersKey ? paging.page : 1;
  const setPage = (p: number) => setPaging({ key: filtersKey, page: p });
  const list = useStaffPayments(filters, page);
  const data = list.data;

  return (
    <>
      <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.list.filters')}</h2>}>
        <Space wrap align="end">
          <PeriodPicker
            preset={preset}
            period={period}
            onChange={(p, range) => {
              setPreset(p);
              setPeriod(range);
            }}
          />
          <div>
            <label htmlFor="payments-by" className="field-label">
              {t('staffPayments.list.by')}
            </label>
            <Select<'created' | 'paid'>
              id="payments-by"
              value={by}
              onChange={setBy}
              style={{ minWidth: 180 }}
              options={[
                { value: 'created', label: t('staffPayments.list.byCreated') },
                { value: 'paid', label: t('staffPayments.list.byPaid') },
              ]}
            />
          </div>
          <div>
            <label htmlFor="payments-status" className="field-label">
              {t('staffPayments.col.status')}
            </label>
            <Select<PaymentStatus>
              id="payments-status"
              value={status}
              onChange={setStatus}
              allowClear
              placeholder={t('staffPayments.list.any')}
              style={{ minWidth: 180 }}
              options={PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`staffPayments.status.${s}`) }))}
            />
          </div>
          <div>
            <label htmlFor="payments-method" className="field-label">
              {t('staffPayments.col.method')}
            </label>
            <Select<PaymentMethod>
              id="payments-method"
              value={method}
              onChange={setMethod}
              allowClear
              placeholder={t('staffPayments.list.any')}
              style={{ minWidth: 180 }}
              options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`staffPayments.method.${m}`) }))}
            />
          </div>
          <div>
            <label htmlFor="payments-q" className="field-label">
              {t('staffPayments.list.search')}
            </label>
            <Input id="payments-q" value={text} onChange={(e) => setText(e.target.value)} allowClear maxLength={100} style={{ minWidth: 220 }} />
          </div>
          <Checkbox checked={refundDue} onChange={(e) => setRefundDue(e.target.checked)}>
            {t('staffPayments.list.refundDue')}
          </Checkbox>
        </Space>
      </Card>

      <ErrorAlert error={list.error} />

      {data ? (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="payment-sums">
          <Col xs={12} md={6}>
            <Card>
              <Statistic title={t('staffPayments.list.count')} value={data.total} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title={t('staffPayments.list.paid')} value={formatMoney(data.sums.paidVnd)} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title={t('staffPayments.list.paidOnline')} value={formatMoney(data.sums.paidOnlineVnd)} />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic title={t('staffPayments.list.refunded')} value={formatMoney(data.sums.refundedVnd)} />
            </Card>
          </Col>
        </Row>
      ) : null}

      <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.list.title')}</h2>}>
        <ScrollRegion label={t('staffPayments.list.title')} minWidth={1250}>
          <Table<StaffPayment>
            size="small"
            rowKey="id"
            loading={list.isFetching}
            dataSource={data?.items ?? []}
            data-testid="payments-table"
            locale={{ emptyText: t('staffPayments.list.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
              hideOnSinglePage: true,
            }}
            columns={[
              {
                title: t('staffPayments.col.time'),
                key: 'time',
                render: (_: unknown, p) => (
                  <div style={{ whiteSpace: 'nowrap' }}>
                    <div>{formatDateTimeShort(p.createdAt)}</div>
                    {p.paidAt ? <div className="muted">{t('staffPayments.list.paidAt', { date: formatDateTimeShort(p.paidAt) })}</div> : null}
                  </div>
                ),
              },
              {
                title: t('staffPayments.col.dossier'),
                key: 'dossier',
                render: (_: unknown, p) => (
                  <>
                    <Link to={`/staff/dossiers/${p.dossierId}`}>{p.dossierCode ?? t('staffPayments.noCode')}</Link>
                    <div>{p.applicantName}</div>
                    <div className="muted" style={{ minWidth: 200, maxWidth: 280, whiteSpace: 'normal' }}>
                      {p.procedureName}
                    </div>
                  </>
                ),
              },
              {
                title: t('staffPayments.col.amount'),
                dataIndex: 'amountVnd',
                align: 'right',
                render: (v: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(v)}</span>,
              },
              {
                title: t('staffPayments.col.method'),
                key: 'method',
                render: (_: unknown, p) => (
                  <div style={{ whiteSpace: 'nowrap' }}>
                    <div>{t(`staffPayments.method.${p.method}`)}</div>
                    <div className="muted">{p.paidOnline ? t('staffPayments.online') : t('staffPayments.notOnline')}</div>
                  </div>
                ),
              },
              {
                title: t('staffPayments.col.status'),
                key: 'status',
                render: (_: unknown, p) => (
                  <>
                    <PaymentStatusTag status={p.status} />
                    {p.settledVia ? <div className="muted">{t(`staffPayments.via.${p.settledVia}`)}</div> : null}
                  </>
                ),
              },
              { title: t('staffPayments.col.reference'), dataIndex: 'reference', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
              {
                title: t('staffPayments.col.receipt'),
                key: 'receipt',
                render: (_: unknown, p) =>
                  p.receipt ? (
                    <a href={receiptUrl(p.id)} download aria-label={t('staffPayments.downloadReceipt', { code: p.receipt.code })} style={{ whiteSpace: 'nowrap' }}>
                      <DownloadOutlined aria-hidden /> {p.receipt.code}
                    </a>
                  ) : (
                    <span className="muted">—</span>
                  ),
              },
              {
                title: t('staffPayments.col.refunds'),
                key: 'refunds',
                render: (_: unknown, p) => (
                  <div style={{ minWidth: 160, maxWidth: 280, whiteSpace: 'normal' }} data-testid="payment-refunds">
                    {p.refunds.length === 0 ? <span className="muted">—</span> : null}
                    {p.refunds.map((r) => (
                      <div key={r.id}>
                        <strong>{t('staffPayments.list.refundLine', { amount: formatMoney(r.amountVnd) })}</strong>{' '}
                        <span className="muted">
                          {formatDateTimeShort(r.refundedAt)}
                          {r.reference ? ` · ${r.reference}` : ''}
                        </span>
                        <div>{r.reason}</div>
                      </div>
                    ))}
                    {p.overpaidVnd > p.refundedVnd ? (
                      <div style={{ color: '#8a5300', fontWeight: 500 }}>
                        {t('staffPayments.list.overpaid', { amount: formatMoney(p.overpaidVnd - p.refundedVnd) })}
                      </div>
                    ) : null}
                  </div>
                ),
              },
              ...(canManage
                ? [
                    {
                      title: t('staffPayments.col.actions'),
                      key: 'actions',
                      render: (_: unknown, p: StaffPayment) =>
                        p.status === 'paid' && p.refundedVnd < p.amountVnd ? (
                          <Button
                            size="small"
                            icon={<RollbackOutlined aria-hidden />}
                            onClick={() => setRefunding(p)}
                            aria-label={t('staffPayments.refund.buttonFor', { reference: p.reference })}
                          >
                            {t('staffPayments.refund.button')}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </ScrollRegion>
      </Card>
      {refunding ? <RefundModal payment={refunding} onClose={() => setRefunding(null)} /> : null}
    </>
  );
}
