import { useId, useRef, useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportReport, ImportRowResult, ProcedureDetail, ProcedureSummary } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ADMIN_PROCEDURES_KEY, useAdminProcedures, useImportJobs } from '../../api/catalog';
import { api, ApiRequestError, upload } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LinkButton } from '../../components/LinkButton';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchForm } from '../../components/SearchForm';
import { OnlineLevelTag } from '../../components/StatusTag';
import { localise } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { listParams } from '../../lib/list-params';

const PAGE_SIZE = 25;
const ACTION_COLOURS = { create: '#1e6b34', update: '#0b4f9c', unchanged: '#595959', reject: '#8c1d18' } as const;

function ImportRows({ rows }: { rows: ImportRowResult[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<ImportRowResult> = [
    { title: t('adminProcedures.importSheet'), key: 'sheet', width: 120, render: (_, r) => t(`adminProcedures.sheet.${r.sheet}`) },
    { title: t('adminProcedures.importRow'), dataIndex: 'row', key: 'row', width: 80 },
    { title: t('procedure.code'), dataIndex: 'code', key: 'code', width: 200, render: (c: string) => <code>{c}</code> },
    {
      title: t('adminProcedures.importAction'),
      key: 'action',
      width: 150,
      render: (_, r) => <Tag color={ACTION_COLOURS[r.action]}>{t(`adminProcedures.importActions.${r.action}`)}</Tag>,
    },
    {
      title: t('adminProcedures.importReasons'),
      key: 'reasons',
      render: (_, r) =>
        r.reasons.length ? (
          <ul className="plain-list compact">
            {r.reasons.map((m, i) => (
              <li key={i}>{localise(m, i18n.language)}</li>
            ))}
          </ul>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <ScrollRegion label={t('adminProcedures.importResult')} minWidth={820}>
      <Table<ImportRowResult>
        rowKey={(r) => `${r.sheet}-${r.row}-${r.code}`}
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        data-testid="import-rows"
      />
    </ScrollRegion>
  );
}

function ImportPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [uploadPct, setUploadPct] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState<'dry' | 'real' | null>(null);
  const inputId = useId();
  const jobs = useImportJobs(running === 'real', running === 'real');
  const job = running === 'real' ? jobs.data?.items.find((j) => j.status === 'validating' || j.status === 'writing') : undefined;

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setRunning(dryRun ? 'dry' : 'real');
    setError(null);
    setUploadPct(0);
    try {
      const r = await upload<ImportReport>('POST', `/admin/procedures/import?dryRun=${dryRun}`, {}, file, (p) => setUploadPct(p.percent));
      setReport(r);
      if (!dryRun) void queryClient.invalidateQueries({ queryKey: ADMIN_PROCEDURES_KEY });
    } catch (err) {
      setError(err);
      if (!dryRun) setReport(null);
    } finally {
      setRunning(null);
      setUploadPct(null);
    }
  };

  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('adminProcedures.importTitle')}</h2>} data-testid="import-panel">
      <Typography.Paragraph>{t('adminProcedures.importIntro')}</Typography.Paragraph>
      <Space wrap align="center">
        <label htmlFor={inputId} className="field-label">
          {t('adminProcedures.importFile')}
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setReport(null);
            setError(null);
          }}
        />
      </Space>
      <Space wrap style={{ marginTop: 12 }}>
        <Button icon={<UploadOutlined aria-hidden />} disabled={!file || !!running} loading={running === 'dry'} onClick={() => void run(true)}>
          {t('adminProcedures.dryRun')}
        </Button>
        <Button
          type="primary"
          disabled={!file || !report || !report.dryRun || report.counts.reject > 0 || !!running}
          loading={running === 'real'}
          onClick={() => void run(false)}
        >
          {t('adminProcedures.realRun')}
        </Button>
        <Button onClick={onClose}>{t('common.close')}</Button>
      </Space>
      <div aria-live="polite" className="import-status">
        {uploadPct !== null ? <Progress percent={uploadPct} size="small" aria-label={t('adminProcedures.uploadProgress')} /> : null}
        {job ? (
          <div data-testid="import-progress">
            {t(`adminProcedures.jobStatus.${job.status}`)}{' '}
            <Progress percent={job.total ? Math.round((job.processed / job.total) * 100) : 0} size="small" aria-label={t('adminProcedures.importProgress')} />
          </div>
        ) : null}
      </div>
      <ErrorAlert
        error={error}
        extra={error instanceof ApiRequestError ? error.fields.slice(0, 50).map((f) => `${f.path.replace(/^file\./, '')}: ${localise(f.message, i18n.language)}`) : undefined}
      />
      {report ? (
        <div data-testid="import-report">
          <Alert
            showIcon
            type={report.counts.reject > 0 ? 'error' : report.dryRun ? 'info' : 'success'}
            title={
              report.dryRun
                ? report.counts.reject > 0
                  ? t('adminProcedures.dryRunRejected')
                  : t('adminProcedures.dryRunOk')
                : t('adminProcedures.realRunDone')
            }
            description={t('adminProcedures.counts', report.counts)}
            style={{ margin: '16px 0' }}
          />
          <ImportRows rows={report.rows} />
        </div>
      ) : null}
    </Card>
  );
}

export function AdminProceduresPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const published = params.get('published') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [importing, setImporting] = useState(params.get('import') === '1');
  const statusLabel = useId();
  useDocumentTitle(t('adminProcedures.title'));
  const list = useAdminProcedures({
    q: q || undefined,
    published: published === 'true' ? true : published === 'false' ? false : undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const publish = useMutation({
    mutationFn: (p: ProcedureSummary) => api.post<ProcedureDetail>(`/admin/procedures/${p.id}/${p.published ? 'unpublish' : 'publish'}`),
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: ADMIN_PROCEDURES_KEY });
      void message.success(d.published ? t('adminProcedures.publishedDone') : t('adminProcedures.unpublishedDone'));
    },
  });

  const update = (next: { q?: string; published?: string; page?: number }) => setParams(listParams({ q, published }, next));

  const columns: TableColumnsType<ProcedureSummary> = [
    { title: t('procedure.code'), dataIndex: 'code', key: 'code', width: 130, render: (c: string) => <code>{c}</code> },
    {
      title: t('adminProcedures.name'),
      key: 'name',
      render: (_, p) => (
        <>
          <Link to={`/staff/admin/procedures/${p.id}`}>{p.name}</Link>
          <div className="muted">{p.field.name}</div>
        </>
      ),
    },
    { title: t('procedure.onlineLevel'), key: 'level', width: 150, render: (_, p) => <OnlineLevelTag level={p.onlineLevel} /> },
    {
      title: t('adminProcedures.status'),
      key: 'published',
      width: 140,
      render: (_, p) => (p.published ? <Tag color="#1e6b34">{t('adminProcedures.published')}</Tag> : <Tag color="#8a5300">{t('adminProcedures.draft')}</Tag>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_, p) => (
        <Space wrap>
          <LinkButton size="small" to={`/staff/admin/procedures/${p.id}`} icon={<EditOutlined aria-hidden />} aria-label={t('adminProcedures.editAria', { name: p.name })}>
            {t('common.edit')}
          </LinkButton>
          <Popconfirm
            title={p.published ? t('adminProcedures.unpublishConfirm') : t('adminProcedures.publishConfirm')}
            okText={t('common.yes')}
            cancelText={t('common.no')}
            onConfirm={() => publish.mutate(p)}
          >
            <Button size="small" aria-label={`${p.published ? t('adminProcedures.unpublish') : t('adminProcedures.publish')}: ${p.name}`}>
              {p.published ? t('adminProcedures.unpublish') : t('adminProcedures.publish')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <LinkButton type="primary" icon={<PlusOutlined aria-hidden />} to="/staff/admin/procedures/new">
              {t('adminProcedures.create')}
            </LinkButton>
            <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImporting(true)}>
              {t('adminProcedures.import')}
            </Button>
            <Button icon={<DownloadOutlined aria-hidden />} href="/api/v1/admin/procedures/export?format=xlsx" download>
              {t('adminProcedures.exportXlsx')}
            </Button>
            <Button icon={<DownloadOutlined aria-hidden />} href="/api/v1/admin/procedures/export?format=csv" download>
              {t('adminProcedures.exportCsv')}
            </Button>
          </Space>
        }
      >
        {t('adminProcedures.title')}
      </PageTitle>
      {importing ? <ImportPanel onClose={() => setImporting(false)} /> : null}
      <div className="toolbar">
        <SearchForm key={q} label={t('adminProcedures.search')} initial={q} onSearch={(value) => update({ q: value })} />
        <div className="inline-field" style={{ minWidth: 200 }}>
          <span id={statusLabel}>{t('adminProcedures.status')}</span>
          <Select
            aria-labelledby={statusLabel}
            value={published}
            onChange={(v) => update({ published: v })}
            style={{ width: '100%' }}
            options={[
              { value: '', label: t('adminProcedures.allStatuses') },
              { value: 'true', label: t('adminProcedures.published') },
              { value: 'false', label: t('adminProcedures.draft') },
            ]}
          />
        </div>
      </div>
      <ErrorAlert error={list.error ?? publish.error} />
      <ScrollRegion label={t('adminProcedures.title')} minWidth={900}>
        <Table<ProcedureSummary>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          locale={{ emptyText: t('adminProcedures.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => update({ page: p }),
          }}
        />
      </ScrollRegion>
    </>
  );
}
