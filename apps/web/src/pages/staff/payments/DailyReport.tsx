import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Row, Space, Statistic, Table, Typography } from 'antd';
import { FileExcelOutlined, FileTextOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DailyReconciliation, StaffPayment } from '@motcua/contracts';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PAGE_SIZE, reconcileNow, reportExportUrl, STAFF_PAYMENTS_KEY, useDailyReport, useStaffPayments } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { formatDateTimeShort, formatMoney } from '../../../lib/format';
import { todayInVietnam } from './shared';

type AgencyRow = DailyReconciliation['agencies'][number];
type Tally = { count: number; amountVnd: number };

const sum = (rows: AgencyRow[], pick: (r: AgencyRow) => Tally): Tally => ({
  count: rows.reduce((s, r) => s + pick(r).count, 0),
  amountVnd: rows.reduce((s, r) => s + pick(r).amountVnd, 0),
});

/** An amount with its number of payments under it. */
function TallyCell({ tally }: { tally: Tally }) {
  const { t } = useTranslation();
  if (tally.count === 0 && tally.amountVnd === 0) return <span className="muted">—</span>;
  return (
    <>
      <div style={{ whiteSpace: 'nowrap' }}>{formatMoney(tally.amountVnd)}</div>
      <div className="muted" style={{ whiteSpace: 'nowrap' }}>
        {t('staffPayments.report.nPayments', { count: tally.count })}
      </div>
    </>
  );
}

const VIA = ['ipn', 'querydr', 'statement', 'review', 'counter'] as const;

/** One day's reconciliation: settled by method, what the gateway confirmed, what is still pending; QueryDR now; .xlsx/.csv. */
export function DailyReport({ agencyId, canManage }: { agencyId: string | undefined; canManage: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [date, setDate] = useState(todayInVietnam);
  const [pendingPage, setPendingPage] = useState<{ key: string; page: number }>({ key: '', page: 1 });
  const report = useDailyReport(date, agencyId);
  const pendingKey = `${date}|${agencyId ?? ''}`;
  const page = pendingPage.key === pendingKey ? pendingPage.page : 1;
  const pending = useStaffPayments({ agencyId, from: date, to: date, by: 'created', status: 'pending' }, page);
  const reconcile = useMutation({
    mutationFn: reconcileNow,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY }),
  });
  const r = report.data;
  const rows: (AgencyRow & { total?: boolean })[] = r ? [...r.agencies] : [];
  if (r && r.agencies.length > 1) {
    const a = r.agencies;
    rows.push({
      agencyId: 'total',
      agencyCode: '',
      agencyName: t('staffPayments.report.total'),
      paid: { vnpay: sum(a, (x) => x.paid.vnpay), vietqr: sum(a, (x) => x.paid.vietqr), cash: sum(a, (x) => x.paid.cash), total: r.totals.paid, online: r.totals.online },
      settledVia: {},
      refunds: r.totals.refunds,
      overpaid: sum(a, (x) => x.overpaid),
      pendingAtEndOfDay: r.totals.pendingAtEndOfDay,
      failed: sum(a, (x) => x.failed),
      expired: sum(a, (x) => x.expired),
      receiptsIssued: a.reduce((s, x) => s + x.receiptsIssued, 0),
      total: true,
    });
  }
  const via = (k: string) => (r ? r.agencies.reduce((s, x) => s + (x.settledVia[k] ?? 0), 0) : 0);
  const res = reconcile.data;

  return (
    <>
      <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.report.title')}</h2>}>
        <Space wrap align="end">
          <div>
            <label htmlFor="report-date" className="field-label">
              {t('staffPayments.report.date')}
            </label>
            <DatePicker
              id="report-date"
              format="DD/MM/YYYY"
              allowClear={false}
              value={dayjs(date)}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))}
            />
          </div>
          <Button href={reportExportUrl(date, agencyId, 'xlsx')} download icon={<FileExcelOutlined aria-hidden />} data-testid="report-xlsx">
            {t('staffPayments.report.downloadXlsx')}
          </Button>
          <Button href={reportExportUrl(date, agencyId, 'csv')} download icon={<FileTextOutlined aria-hidden />} data-testid="report-csv">
            {t('staffPayments.report.downloadCsv')}
          </Button>
          {canManage ? (
            <Button icon={<SyncOutlined aria-hidden />} loading={reconcile.isPending} onClick={() => reconcile.mutate()}>
              {t('staffPayments.report.reconcile')}
            </Button>
          ) : null}
        </Space>
        <Typography.Paragraph className="muted" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('staffPayments.report.intro')}
        </Typography.Paragraph>
        <div role="status" aria-live="polite" data-testid="reconcile-result">
          {res ? (
            <Alert
              type={res.unknown > 0 ? 'warning' : 'success'}
              showIcon
              style={{ marginTop: 12 }}
              title={res.checked === 0 ? t('staffPayments.report.reconcileNone') : t('staffPayments.report.reconcileDone', res)}
            />
          ) : null}
        </div>
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={reconcile.error} />
        </div>
      </Card>

      <ErrorAlert error={report.error} />

      {r ? (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="report-totals">
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('staffPayments.report.paid')} value={formatMoney(r.totals.paid.amountVnd)} />
                <div className="muted">{t('staffPayments.report.nPayments', { count: r.totals.paid.count })}</div>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('staffPayments.report.online')} value={formatMoney(r.totals.online.amountVnd)} />
                <div className="muted">{t('staffPayments.report.nPayments', { count: r.totals.online.count })}</div>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('staffPayments.report.pending')} value={formatMoney(r.totals.pendingAtEndOfDay.amountVnd)} />
                <div className="muted">{t('staffPayments.report.nPayments', { count: r.totals.pendingAtEndOfDay.count })}</div>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('staffPayments.report.refunds')} value={formatMoney(r.totals.refunds.amountVnd)} />
                <div className="muted">{t('staffPayments.report.nRefunds', { count: r.totals.refunds.count })}</div>
              </Card>
            </Col>
          </Row>

          <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.report.byMethod')}</h2>}>
            <ScrollRegion label={t('staffPayments.report.byMethod')} minWidth={1100}>
              <Table<AgencyRow & { total?: boolean }>
                size="small"
                rowKey="agencyId"
                pagination={false}
                dataSource={rows}
                data-testid="report-table"
                locale={{ emptyText: t('staffPayments.report.empty') }}
                onRow={(x) => (x.total ? { style: { fontWeight: 600 } } : {})}
                columns={[
                  {
                    title: t('staffPayments.col.agency'),
                    key: 'agency',
                    render: (_: unknown, x) => (
                      <div style={{ minWidth: 160, maxWidth: 280, whiteSpace: 'normal' }}>
                        {x.agencyName}
                        {x.agencyCode ? <div className="muted">{x.agencyCode}</div> : null}
                      </div>
                    ),
                  },
                  { title: t('staffPayments.method.vnpay'), key: 'vnpay', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.paid.vnpay} /> },
                  { title: t('staffPayments.method.vietqr'), key: 'vietqr', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.paid.vietqr} /> },
                  { title: t('staffPayments.method.cash'), key: 'cash', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.paid.cash} /> },
                  { title: t('staffPayments.report.colTotal'), key: 'total', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.paid.total} /> },
                  { title: t('staffPayments.report.colOnline'), key: 'online', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.paid.online} /> },
                  { title: t('staffPayments.report.colRefunds'), key: 'refunds', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.refunds} /> },
                  { title: t('staffPayments.report.colOverpaid'), key: 'overpaid', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.overpaid} /> },
                  { title: t('staffPayments.report.colPending'), key: 'pending', align: 'right', render: (_: unknown, x) => <TallyCell tally={x.pendingAtEndOfDay} /> },
                  {
                    title: t('staffPayments.report.colFailed'),
                    key: 'failed',
                    align: 'right',
                    render: (_: unknown, x) => `${x.failed.count} / ${x.expired.count}`,
                  },
                  { title: t('staffPayments.report.colReceipts'), dataIndex: 'receiptsIssued', align: 'right' },
                ]}
              />
            </ScrollRegion>
          </Card>

          <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.report.gatewayTitle')}</h2>}>
            <Typography.Paragraph className="muted">{t('staffPayments.report.gatewayIntro')}</Typography.Paragraph>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="report-gateway">
              {VIA.map((k) => (
                <Descriptions.Item key={k} label={t(`staffPayments.report.via.${k}`)}>
                  {via(k)}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('staffPayments.report.runs')}>{r.gatewayChecks.runs}</Descriptions.Item>
              <Descriptions.Item label={t('staffPayments.report.checks')}>
                {t('staffPayments.report.checksValue', r.gatewayChecks)}
              </Descriptions.Item>
              <Descriptions.Item label={t('staffPayments.report.sweep')}>
                {r.gatewayChecks.dailySweepDone ? t('staffPayments.report.sweepDone') : t('staffPayments.report.sweepNotDone')}
              </Descriptions.Item>
              <Descriptions.Item label={t('staffPayments.report.unmatched')}>
                {t('staffPayments.report.unmatchedValue', { count: r.unmatchedTransfers.count, amount: formatMoney(r.unmatchedTransfers.amountVnd) })}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </>
      ) : null}

      <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.report.pendingTitle')}</h2>}>
        <ErrorAlert error={pending.error} />
        <ScrollRegion label={t('staffPayments.report.pendingTitle')} minWidth={760}>
          <Table<StaffPayment>
            size="small"
            rowKey="id"
            loading={pending.isFetching}
            dataSource={pending.data?.items ?? []}
            data-testid="report-pending"
            locale={{ emptyText: t('staffPayments.report.noPending') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: pending.data?.total ?? 0,
              onChange: (p) => setPendingPage({ key: pendingKey, page: p }),
              showSizeChanger: false,
              hideOnSinglePage: true,
            }}
            columns={[
              { title: t('staffPayments.col.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeShort(v) },
              {
                title: t('staffPayments.col.dossier'),
                key: 'dossier',
                render: (_: unknown, p) => (
                  <>
                    <Link to={`/staff/dossiers/${p.dossierId}`}>{p.dossierCode ?? t('staffPayments.noCode')}</Link>
                    <div>{p.applicantName}</div>
                  </>
                ),
              },
              { title: t('staffPayments.col.amount'), dataIndex: 'amountVnd', align: 'right', render: (v: number) => formatMoney(v) },
              { title: t('staffPayments.col.method'), dataIndex: 'method', render: (m: StaffPayment['method']) => t(`staffPayments.method.${m}`) },
              { title: t('staffPayments.col.reference'), dataIndex: 'reference' },
              {
                title: t('staffPayments.report.expiresAt'),
                dataIndex: 'expiresAt',
                render: (v: string | null) => (v ? formatDateTimeShort(v) : <span className="muted">—</span>),
              },
            ]}
          />
        </ScrollRegion>
      </Card>
    </>
  );
}
