import { useState } from 'react';
import { Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { ReportBreakdownRow } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { count, percent, PROVINCE_CODE, useReportBreakdown, useReportSummary, type Period } from '../api/reports';
import { BarChart } from '../components/BarChart';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading, PageTitle } from '../components/PageState';
import { ScrollRegion } from '../components/ScrollRegion';
import { PeriodPicker, reportPeriod, type ReportPreset } from '../components/PeriodPicker';
import { formatDateTimeShort } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';

function BreakdownTable({ rows, labelTitle, testId, regionLabel }: { rows: ReportBreakdownRow[]; labelTitle: string; testId: string; regionLabel: string }) {
  const { t, i18n } = useTranslation();
  return (
    <ScrollRegion label={regionLabel} minWidth={640}>
      <Table<ReportBreakdownRow>
        size="small"
        rowKey="key"
        data-testid={testId}
        pagination={rows.length > 15 ? { pageSize: 15, showSizeChanger: false } : false}
        dataSource={rows}
        columns={[
          { title: labelTitle, key: 'label', render: (_: unknown, r) => (i18n.language === 'en' && r.labelEn ? r.labelEn : r.label) },
          { title: t('reports.received'), key: 'received', align: 'right', render: (_: unknown, r) => count(r.figures.received) },
          { title: t('reports.resolved'), key: 'resolved', align: 'right', render: (_: unknown, r) => count(r.figures.resolved) },
          { title: t('reports.inProgress'), key: 'inProgress', align: 'right', render: (_: unknown, r) => count(r.figures.inProgress) },
          { title: t('reports.onTimeRate'), key: 'onTime', align: 'right', render: (_: unknown, r) => percent(r.figures.onTimeRate, i18n.language) },
          { title: t('reports.onlineRate'), key: 'online', align: 'right', render: (_: unknown, r) => percent(r.figures.onlineRate, i18n.language) },
        ]}
      />
    </ScrollRegion>
  );
}

/**
 * Public dossier statistics, as provinces publish them (no personal data): the province or any
 * agency with figures in the period, any year or range; totals, rates, by month and by agency.
 */
export function StatisticsPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('reports.publicTitle'));
  const [preset, setPreset] = useState<ReportPreset>('thisYear');
  const [period, setPeriod] = useState<Period>(() => reportPeriod('thisYear', { from: '', to: '' }));
  const [scope, setScope] = useState<string>(PROVINCE_CODE);
  const summary = useReportSummary(scope, period);
  // The province's agencies with figures in the period: the table below and the choices of scope.
  const byAgency = useReportBreakdown(PROVINCE_CODE, period, 'agency');
  const byMonth = useReportBreakdown(scope, period, 'month');
  const f = summary.data?.figures;
  const label = (r: ReportBreakdownRow) => (i18n.language === 'en' && r.labelEn ? r.labelEn : r.label);
  const topAgencies = [...(byAgency.data?.rows ?? [])].sort((a, b) => b.figures.received - a.figures.received).slice(0, 12);
  const scopes = [{ value: PROVINCE_CODE, label: t('reports2.wholeProvince') }];
  for (const r of byAgency.data?.rows ?? []) if (r.code && r.code !== PROVINCE_CODE) scopes.push({ value: r.code, label: `${label(r)} (${r.code})` });
  if (!scopes.some((o) => o.value === scope) && summary.data) {
    const a = summary.data.agency;
    scopes.push({ value: scope, label: `${i18n.language === 'en' && a.nameEn ? a.nameEn : a.name} (${a.code})` });
  }
  const agencyName = summary.data ? (i18n.language === 'en' && summary.data.agency.nameEn ? summary.data.agency.nameEn : summary.data.agency.name) : '';

  return (
    <>
      <PageTitle>{t('reports.publicTitle')}</PageTitle>
      <Typography.Paragraph className="lead">{t('reports.publicIntro')}</Typography.Paragraph>
      <Space wrap align="end">
        <div>
          <label htmlFor="stats-scope" className="field-label">
            {t('reports2.scope')}
          </label>
          <Select
            id="stats-scope"
            style={{ width: 300, maxWidth: '100%' }}
            value={scope}
            virtual={false}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={setScope}
            options={scopes}
          />
        </div>
        <PeriodPicker
          namedYears
          preset={preset}
          period={period}
          onChange={(p, range) => {
            setPreset(p);
            setPeriod(range);
          }}
        />
      </Space>
      <ErrorAlert error={summary.error ?? byAgency.error ?? byMonth.error} />

      {!f ? (
        summary.isPending ? <Loading /> : null
      ) : (
        <section aria-labelledby="stats-totals" data-testid="stats-totals" data-agency={summary.data?.agency.code} style={{ marginTop: 16 }}>
          <h2 id="stats-totals" className="visually-hidden">
            {t('reports.totals')}: {agencyName}
          </h2>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('reports.received')} value={count(f.received)} data-testid="stat-received" />
                <div className="muted" data-testid="stat-received-online" data-value={f.receivedOnline}>
                  {t('reports.receivedOnlineOf', { n: count(f.receivedOnline) })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('reports.resolved')} value={count(f.resolved)} data-testid="stat-resolved" />
                <div className="muted" data-testid="stat-in-progress" data-value={f.inProgress}>
                  {t('reports.inProgressN', { n: count(f.inProgress) })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('reports.onTimeRate')} value={percent(f.onTimeRate, i18n.language)} data-testid="stat-on-time-rate" />
                <div className="muted" data-testid="stat-late" data-value={f.resolvedLate + f.inProgressOverdue}>
                  {t('reports.lateN', { n: count(f.resolvedLate + f.inProgressOverdue) })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('reports.onlineRate')} value={percent(f.onlineRate, i18n.language)} data-testid="stat-online-rate" />
                <div className="muted">
                  {f.averageResolutionDays !== null ? t('reports.avgDays', { n: f.averageResolutionDays.toFixed(1) }) : ''}
                </div>
              </Card>
            </Col>
          </Row>
          {summary.data ? (
            <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
              {t('reports.measuredAt', { date: formatDateTimeShort(summary.data.period.measuredAt) })}
            </Typography.Paragraph>
          ) : null}
        </section>
      )}

      <Card className="section-card" title={<h2 className="card-heading">{t('reports.byMonth')}</h2>}>
        {byMonth.data ? (
          <>
            <BarChart
              title={t('reports.byMonthChart')}
              series={[t('reports.received'), t('reports.resolved')]}
              data={byMonth.data.rows.map((r) => ({ label: r.label, value: r.figures.received, value2: r.figures.resolved }))}
              format={count}
            />
            <BreakdownTable rows={byMonth.data.rows} labelTitle={t('reports.month')} testId="stats-by-month" regionLabel={t('reports.byMonth')} />
          </>
        ) : (
          <Loading />
        )}
      </Card>

      <Card className="section-card" title={<h2 className="card-heading">{t('reports.byAgency')}</h2>}>
        {byAgency.data ? (
          <>
            <BarChart
              title={t('reports.byAgencyChart')}
              series={[t('reports.received'), t('reports.resolved')]}
              data={topAgencies.map((r) => ({ label: r.code ?? label(r), value: r.figures.received, value2: r.figures.resolved }))}
              format={count}
            />
            <BreakdownTable rows={byAgency.data.rows} labelTitle={t('reports.agency')} testId="stats-by-agency" regionLabel={t('reports.byAgency')} />
          </>
        ) : (
          <Loading />
        )}
      </Card>
    </>
  );
}
