import { useState } from 'react';
import { Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { DrillMetric, IndexRankingRow, SlowProcedure, SlowStep } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { count, percent, useDashboard, useQualityIndex, useReportSummary, type Period } from '../../api/reports';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { DrillPanel, DrillTable } from '../../components/reports/DrillPanel';
import { ScrollRegion } from '../../components/ScrollRegion';
import { ExportPanel } from '../../components/reports/ExportPanel';
import { FigureTiles } from '../../components/reports/FigureTiles';
import { IndexPanel } from '../../components/reports/IndexPanel';
import { PeriodPicker, reportPeriod, type ReportPreset } from '../../components/PeriodPicker';
import { WrappingTabs } from '../../components/WrappingTabs';
import { formatDateTimeShort } from '../../lib/format';
import { localise } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';

const REPORT_ROLES = new Set(['division_head', 'agency_leader', 'agency_admin', 'province_admin', 'auditor']);
type Tab = 'overview' | 'index' | 'slow' | 'ranking';

/**
 * Leaders' dashboard over the agencies where the official holds a reporting role: the period's
 * figures, each opening the dossiers behind it; overdue and due work; the Decision 766 index with
 * the dossiers that lowered each component; slow procedures and steps; the ranking; exports.
 */
export function ReportsDashboardPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('reports.dashboardTitle'));
  const me = useMe().data;
  const agencies = [...new Map((me?.roles ?? []).filter((r) => REPORT_ROLES.has(r.role)).map((r) => [r.agencyCode, r.agencyName])).entries()];
  const [agencyChoice, setAgency] = useState<string | undefined>();
  const agency = agencyChoice ?? agencies[0]?.[0];
  const agencyLabel = agencies.find(([code]) => code === agency)?.[1] ?? agency ?? '';
  const [preset, setPreset] = useState<ReportPreset>('thisYear');
  const [period, setPeriod] = useState<Period>(() => reportPeriod('thisYear', { from: '', to: '' }));
  const [tab, setTab] = useState<Tab>('overview');
  const [metric, setMetric] = useState<DrillMetric | null>(null);
  const dashboard = useDashboard(agency, period);
  const index = useQualityIndex(agency, period);
  const summary = useReportSummary(agency, period);
  const d = dashboard.data;
  const name = (n: { vi: string; en: string } | null) => (n ? localise(n, i18n.language) : '—');
  const tabs: { key: Tab; label: string }[] = [
    { key: 'overview', label: t('reports2.tabs.overview') },
    { key: 'index', label: t('reports2.tabs.index') },
    { key: 'slow', label: t('reports2.tabs.slow') },
    { key: 'ranking', label: t('reports2.tabs.ranking') },
  ];

  return (
    <>
      <PageTitle>{t('reports.dashboardTitle')}</PageTitle>
      <Space wrap align="end" style={{ marginBottom: 16 }}>
        {agencies.length > 1 ? (
          <div>
            <label htmlFor="report-agency" className="field-label">
              {t('reports.agency')}
            </label>
            <Select
              id="report-agency"
              style={{ width: 300, maxWidth: '100%' }}
              value={agency}
              onChange={(v) => {
                setAgency(v);
                setMetric(null);
              }}
              options={agencies.map(([code, n]) => ({ value: code, label: `${n} (${code})` }))}
            />
          </div>
        ) : agencies.length === 1 ? (
          <Typography.Text strong>
            {agencies[0]![1]} ({agencies[0]![0]})
          </Typography.Text>
        ) : null}
        <PeriodPicker
          namedYears
          preset={preset}
          period={period}
          onChange={(p, range) => {
            setPreset(p);
            setPeriod(range);
            setMetric(null);
          }}
        />
      </Space>
      <ErrorAlert error={dashboard.error ?? index.error ?? summary.error} />
      {!d ? (
        dashboard.isPending && agency ? <Loading /> : null
      ) : (
        <WrappingTabs id="report-tabs" label={t('reports2.tabsLabel')} tabs={tabs} active={tab} onChange={setTab}>
          {tab === 'overview' ? (
            <>
              <Row gutter={[16, 16]}>
                <Col xs={12} md={6}>
                  <Card>
                    <Statistic title={t('reports.overdueNow')} value={count(d.overdueNow.count)} />
                  </Card>
                </Col>
                <Col xs={12} md={6}>
                  <Card>
                    <Statistic title={t('reports.dueThisWeek')} value={count(d.dueThisWeek.count)} />
                  </Card>
                </Col>
                <Col xs={12} md={6}>
                  <Card>
                    <Statistic title={t('reports.indexPercent')} value={index.data?.total.percent != null ? `${index.data.total.percent.toFixed(1)}%` : '—'} />
                    <div className="muted">
                      {index.data ? t('reports.indexPoints', { points: index.data.total.points.toFixed(1), max: index.data.total.computedMaxPoints }) : ''}
                    </div>
                  </Card>
                </Col>
                <Col xs={12} md={6}>
                  <Card>
                    <Statistic title={t('reports.updatedAt')} value={formatDateTimeShort(d.freshness.generatedAt)} valueStyle={{ fontSize: 18 }} />
                  </Card>
                </Col>
              </Row>

              <Card className="section-card" title={<h2 className="card-heading">{t('reports2.figuresTitle')}</h2>}>
                <Typography.Paragraph className="muted">{t('reports2.figuresHint')}</Typography.Paragraph>
                {summary.data ? (
                  <>
                    <FigureTiles figures={summary.data.figures} selected={metric} onPick={(m) => setMetric(m === metric ? null : m)} />
                    <Typography.Paragraph className="muted" style={{ marginTop: 8, marginBottom: 0 }}>
                      {t('reports.onTimeRate')}: {percent(summary.data.figures.onTimeRate, i18n.language)} · {t('reports.onlineRate')}:{' '}
                      {percent(summary.data.figures.onlineRate, i18n.language)}
                    </Typography.Paragraph>
                  </>
                ) : (
                  <Loading />
                )}
                {metric && agency ? (
                  <DrillPanel
                    key={metric}
                    agency={agency}
                    period={period}
                    metric={metric}
                    title={(n) => t('reports2.drillFor', { metric: t(`reports.metrics.${metric}`), n })}
                    onClose={() => setMetric(null)}
                  />
                ) : null}
              </Card>

              <Card className="section-card" title={<h2 className="card-heading">{t('reports2.overdueList', { n: d.overdueNow.count })}</h2>}>
                <DrillTable items={d.overdueNow.items} total={d.overdueNow.items.length} page={1} testId="overdue-now" />
              </Card>
              <Card
                className="section-card"
                title={<h2 className="card-heading">{t('reports2.dueList', { n: d.dueThisWeek.count, until: formatDateTimeShort(d.dueThisWeek.until) })}</h2>}
              >
                <DrillTable items={d.dueThisWeek.items} total={d.dueThisWeek.items.length} page={1} testId="due-this-week" />
              </Card>
            </>
          ) : null}

          {tab === 'index' ? (
            <Card className="section-card" title={<h2 className="card-heading">{t('reports.indexTitle')}</h2>}>
              {index.data && agency ? <IndexPanel index={index.data} agency={agency} period={period} /> : <Loading />}
            </Card>
          ) : null}

          {tab === 'slow' ? (
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={12}>
                <Card className="section-card" title={<h2 className="card-heading">{t('reports.slowestProcedures')}</h2>}>
                  <ScrollRegion label={t('reports.slowestProcedures')} minWidth={480}>
                    <Table<SlowProcedure>
                      size="small"
                      rowKey={(r) => r.procedure.id}
                      pagination={false}
                      dataSource={d.slowestProcedures}
                      columns={[
                        { title: t('reports.procedure'), key: 'p', render: (_: unknown, r) => r.procedure.name },
                        { title: t('reports.avgDaysShort'), key: 'a', align: 'right', render: (_: unknown, r) => `${r.averageDays.toFixed(1)} / ${r.statutoryDays.toFixed(1)}` },
                        { title: t('reports.resolvedLate'), key: 'l', align: 'right', render: (_: unknown, r) => `${r.resolvedLate} / ${r.resolved}` },
                      ]}
                    />
                  </ScrollRegion>
                </Card>
              </Col>
              <Col xs={24} xl={12}>
                <Card className="section-card" title={<h2 className="card-heading">{t('reports.slowestSteps')}</h2>}>
                  <ScrollRegion label={t('reports.slowestSteps')} minWidth={480}>
                    <Table<SlowStep>
                      size="small"
                      rowKey={(r) => `${r.procedure.id}-${r.stepKey}`}
                      pagination={false}
                      dataSource={d.slowestSteps}
                      columns={[
                        { title: t('reports.step'), key: 's', render: (_: unknown, r) => `${name(r.stepName)} — ${r.procedure.name}` },
                        { title: t('reports.hours'), key: 'h', align: 'right', render: (_: unknown, r) => `${r.averageHours.toFixed(1)} / ${r.allowedHours.toFixed(1)}` },
                        { title: t('reports.lateShare'), key: 'l', align: 'right', render: (_: unknown, r) => percent(r.lateShare, i18n.language) },
                      ]}
                    />
                  </ScrollRegion>
                </Card>
              </Col>
            </Row>
          ) : null}

          {tab === 'ranking' ? (
            <Card className="section-card" title={<h2 className="card-heading">{t('reports.ranking')}</h2>}>
              <ScrollRegion label={t('reports.ranking')} minWidth={480}>
                <Table<IndexRankingRow>
                  size="small"
                  rowKey={(r) => r.agency.id}
                  pagination={false}
                  dataSource={d.ranking}
                  columns={[
                    { title: '#', dataIndex: 'rank', width: 48 },
                    { title: t('reports.agency'), key: 'a', render: (_: unknown, r) => (i18n.language === 'en' && r.agency.nameEn ? r.agency.nameEn : r.agency.name) },
                    { title: t('reports.received'), dataIndex: 'received', align: 'right' },
                    {
                      title: t('reports.indexPercent'),
                      key: 'p',
                      align: 'right',
                      render: (_: unknown, r) => (r.total.percent === null ? '—' : `${r.total.percent.toFixed(1)}%`),
                    },
                  ]}
                />
              </ScrollRegion>
            </Card>
          ) : null}
        </WrappingTabs>
      )}
      {agency ? <ExportPanel agency={agency} agencyLabel={agencyLabel} period={period} /> : null}
    </>
  );
}
