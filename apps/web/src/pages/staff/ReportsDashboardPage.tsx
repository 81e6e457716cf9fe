import { useState } from 'react';
import { Button, Card, Col, Radio, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { DrillItem, DrillMetric, ExportFormat, ExportJob, IndexComponent, IndexRankingRow, SlowProcedure, SlowStep } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { count, percent, useDashboard, useDrill, useQualityIndex, type Period } from '../../api/reports';
import { useMe } from '../../auth/session';
import { BarChart } from '../../components/BarChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { PeriodPicker, presetPeriod, type PresetKey } from '../../components/PeriodPicker';
import { formatDateTimeShort } from '../../lib/format';
import { localise } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';

const REPORT_ROLES = new Set(['division_head', 'agency_leader', 'agency_admin', 'province_admin', 'auditor']);
const DRILL_METRICS: DrillMetric[] = ['received', 'resolved', 'resolvedLate', 'inProgress', 'inProgressOverdue', 'waitingSupplement', 'receivedOnline'];

function DrillTable({ items, total, page, onPage, loading }: { items: DrillItem[]; total: number; page: number; onPage: (p: number) => void; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<DrillItem>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={items}
      scroll={{ x: true }}
      pagination={{ current: page, pageSize: 20, total, onChange: onPage, showSizeChanger: false }}
      columns={[
        {
          title: t('reports.dossierCode'),
          key: 'code',
          render: (_: unknown, d) => <Link to={`/staff/dossiers/${d.id}`}>{d.code ?? d.id.slice(0, 8)}</Link>,
        },
        { title: t('reports.procedure'), key: 'procedure', render: (_: unknown, d) => d.procedure.name },
        { title: t('reports.agency'), dataIndex: 'agencyCode' },
        { title: t('reports.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatDateTimeShort(v) },
        { title: t('reports.dueAt'), dataIndex: 'dueAt', render: (v: string | null) => (v ? formatDateTimeShort(v) : '—') },
        { title: t('reports.timeliness'), dataIndex: 'timeliness', render: (v: DrillItem['timeliness']) => (v ? t(`reports.timelinessValues.${v}`) : '—') },
      ]}
    />
  );
}

function ExportButton({ agency, period }: { agency: string; period: Period }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.post<ExportJob>('/reports/exports', { agency, ...period, includeChildren: true, format }),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ['reports', 'export', jobId],
    queryFn: () => api.get<ExportJob>(`/reports/exports/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 1500),
  });
  const j = job.data;
  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('reports.export')}</h2>}>
      <Space wrap>
        <Radio.Group value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label={t('reports.exportFormat')}>
          <Radio.Button value="xlsx">Excel (.xlsx)</Radio.Button>
          <Radio.Button value="pdf">PDF</Radio.Button>
        </Radio.Group>
        <Button icon={<FileExcelOutlined aria-hidden />} loading={start.isPending || (!!j && (j.status === 'queued' || j.status === 'running'))} onClick={() => start.mutate()}>
          {t('reports.exportStart')}
        </Button>
        <span role="status" data-testid="export-status">
          {j ? (
            j.status === 'succeeded' && j.downloadUrl ? (
              <a href={j.downloadUrl} download={j.filename ?? undefined}>
                <DownloadOutlined aria-hidden /> {t('reports.exportDownload', { name: j.filename ?? '' })}
              </a>
            ) : j.status === 'failed' ? (
              t('reports.exportFailed', { error: j.error ?? '' })
            ) : (
              t('reports.exportRunning', { progress: j.progress })
            )
          ) : null}
        </span>
      </Space>
      <ErrorAlert error={start.error ?? job.error} />
    </Card>
  );
}

/** Leaders' dashboard: overdue and due work, the service-quality index, slow procedures and steps, drill-downs and exports. */
export function ReportsDashboardPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('reports.dashboardTitle'));
  const me = useMe().data;
  const agencies = [...new Map((me?.roles ?? []).filter((r) => REPORT_ROLES.has(r.role)).map((r) => [r.agencyCode, r.agencyName])).entries()];
  const [agencyChoice, setAgency] = useState<string | undefined>();
  const agency = agencyChoice ?? agencies[0]?.[0];
  const [preset, setPreset] = useState<PresetKey>('thisYear');
  const [period, setPeriod] = useState<Period>(() => presetPeriod('thisYear'));
  const [metric, setMetric] = useState<DrillMetric | null>(null);
  const [page, setPage] = useState(1);
  const dashboard = useDashboard(agency, period);
  const index = useQualityIndex(agency, period);
  const drill = useDrill(agency, period, metric, page);
  const d = dashboard.data;
  const name = (n: { vi: string; en: string } | null) => (n ? localise(n, i18n.language) : '—');

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
              style={{ minWidth: 260 }}
              value={agency}
              onChange={setAgency}
              options={agencies.map(([code, n]) => ({ value: code, label: `${n} (${code})` }))}
            />
          </div>
        ) : agencies.length === 1 ? (
          <Typography.Text strong>
            {agencies[0]![1]} ({agencies[0]![0]})
          </Typography.Text>
        ) : null}
        <PeriodPicker
          preset={preset}
          period={period}
          onChange={(p, range) => {
            setPreset(p);
            setPeriod(range);
            setPage(1);
          }}
        />
      </Space>
      <ErrorAlert error={dashboard.error ?? index.error} />
      {!d ? (
        dashboard.isPending && agency ? <Loading /> : null
      ) : (
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

          <Card className="section-card" title={<h2 className="card-heading">{t('reports.overdueNow')}</h2>}>
            <DrillTable items={d.overdueNow.items} total={d.overdueNow.items.length} page={1} onPage={() => undefined} />
          </Card>

          <Card className="section-card" title={<h2 className="card-heading">{t('reports.drillTitle')}</h2>}>
            <Space wrap style={{ marginBottom: 12 }}>
              <label htmlFor="drill-metric" className="field-label" style={{ margin: 0 }}>
                {t('reports.drillMetric')}
              </label>
              <Select<DrillMetric>
                id="drill-metric"
                style={{ minWidth: 260 }}
                placeholder={t('reports.drillPick')}
                value={metric ?? undefined}
                onChange={(m) => {
                  setMetric(m);
                  setPage(1);
                }}
                options={DRILL_METRICS.map((m) => ({ value: m, label: t(`reports.metrics.${m}`) }))}
              />
            </Space>
            {metric ? (
              drill.data ? (
                <DrillTable items={drill.data.items} total={drill.data.total} page={page} onPage={setPage} loading={drill.isFetching} />
              ) : (
                <ErrorAlert error={drill.error} />
              )
            ) : null}
          </Card>

          {index.data ? (
            <Card className="section-card" title={<h2 className="card-heading">{t('reports.indexTitle')}</h2>}>
              <BarChart
                title={t('reports.indexChart')}
                series={[t('reports.points')]}
                data={index.data.groups.map((g) => ({ label: name(g.name), value: Number(g.points.toFixed(1)) }))}
              />
              <Table<IndexComponent>
                size="small"
                rowKey="code"
                pagination={false}
                scroll={{ x: true }}
                dataSource={index.data.components}
                columns={[
                  { title: t('reports.component'), key: 'name', render: (_: unknown, c) => `${c.code}. ${name(c.name)}` },
                  { title: t('reports.rate'), key: 'rate', align: 'right', render: (_: unknown, c) => percent(c.rate, i18n.language) },
                  { title: t('reports.points'), key: 'points', align: 'right', render: (_: unknown, c) => (c.points === null ? '—' : `${c.points.toFixed(2)} / ${c.maxPoints}`) },
                  { title: t('reports.source'), dataIndex: 'source', render: (s: IndexComponent['source']) => t(`reports.sources.${s}`) },
                  {
                    title: t('reports.lowering'),
                    key: 'lowering',
                    render: (_: unknown, c) =>
                      c.lowering && c.lowering.metric && c.lowering.count > 0 ? (
                        <Button
                          type="link"
                          size="small"
                          onClick={() => {
                            setMetric(c.lowering!.metric);
                            setPage(1);
                          }}
                        >
                          {t('reports.seeDossiers', { n: c.lowering.count })}
                        </Button>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
            </Card>
          ) : null}

          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card className="section-card" title={<h2 className="card-heading">{t('reports.slowestProcedures')}</h2>}>
                <Table<SlowProcedure>
                  size="small"
                  rowKey={(r) => r.procedure.id}
                  pagination={false}
                  scroll={{ x: true }}
                  dataSource={d.slowestProcedures}
                  columns={[
                    { title: t('reports.procedure'), key: 'p', render: (_: unknown, r) => r.procedure.name },
                    { title: t('reports.avgDaysShort'), key: 'a', align: 'right', render: (_: unknown, r) => `${r.averageDays.toFixed(1)} / ${r.statutoryDays}` },
                    { title: t('reports.resolvedLate'), key: 'l', align: 'right', render: (_: unknown, r) => `${r.resolvedLate} / ${r.resolved}` },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card className="section-card" title={<h2 className="card-heading">{t('reports.slowestSteps')}</h2>}>
                <Table<SlowStep>
                  size="small"
                  rowKey={(r) => `${r.procedure.id}-${r.stepKey}`}
                  pagination={false}
                  scroll={{ x: true }}
                  dataSource={d.slowestSteps}
                  columns={[
                    { title: t('reports.step'), key: 's', render: (_: unknown, r) => `${name(r.stepName)} — ${r.procedure.name}` },
                    { title: t('reports.hours'), key: 'h', align: 'right', render: (_: unknown, r) => `${r.averageHours.toFixed(1)} / ${r.allowedHours.toFixed(1)}` },
                    { title: t('reports.lateShare'), key: 'l', align: 'right', render: (_: unknown, r) => percent(r.lateShare, i18n.language) },
                  ]}
                />
              </Card>
            </Col>
          </Row>

          {d.ranking.length > 0 ? (
            <Card className="section-card" title={<h2 className="card-heading">{t('reports.ranking')}</h2>}>
              <Table<IndexRankingRow>
                size="small"
                rowKey={(r) => r.agency.id}
                pagination={false}
                scroll={{ x: true }}
                dataSource={d.ranking}
                columns={[
                  { title: '#', dataIndex: 'rank', width: 48 },
                  { title: t('reports.agency'), key: 'a', render: (_: unknown, r) => r.agency.name },
                  { title: t('reports.received'), dataIndex: 'received', align: 'right' },
                  { title: t('reports.indexPercent'), key: 'p', align: 'right', render: (_: unknown, r) => (r.total.percent === null ? '—' : `${r.total.percent.toFixed(1)}%`) },
                ]}
              />
            </Card>
          ) : null}
        </>
      )}
      {agency ? <ExportButton agency={agency} period={period} /> : null}
    </>
  );
}
