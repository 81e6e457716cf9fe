import { useId, useRef, useState } from 'react';
import { Alert, Button, Card, Progress, Space, Table, Typography } from 'antd';
import { CheckOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { StatementImportResult, UnmatchedTransfer } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../../api/client';
import { importStatement, PAGE_SIZE, STAFF_PAYMENTS_KEY, useUnmatchedTransfers } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { formatDate, formatDateTimeShort, formatMoney } from '../../../lib/format';
import { localise } from '../../../lib/server-errors';
import { ResolveModal } from './ResolveModal';
import { StatementRowTag } from './shared';

type ImportRow = StatementImportResult['rows'][number];

/** Upload a .csv/.xlsx statement of the VietQR account; see what matched and why the rest did not. */
function ImportPanel({ agencyId, needsAgency }: { agencyId: string | undefined; needsAgency: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [result, setResult] = useState<StatementImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    setPercent(0);
    try {
      const r = await importStatement(file, agencyId, (p) => setPercent(p.percent));
      setResult(r);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY });
    } catch (err) {
      setError(err);
    } finally {
      setPercent(null);
    }
  };

  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.statements.importTitle')}</h2>}>
      <Typography.Paragraph>{t('staffPayments.statements.importIntro')}</Typography.Paragraph>
      {needsAgency ? <Alert type="info" showIcon title={t('staffPayments.statements.pickAgency')} style={{ marginBottom: 12 }} /> : null}
      <Space wrap align="end">
        <div>
          <label htmlFor={inputId} className="field-label">
            {t('staffPayments.statements.file')}
          </label>
          <input
            id={inputId}
            ref={inputRef}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="statement-file"
            style={{ maxWidth: '100%' }}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setResult(null);
              setError(null);
            }}
          />
        </div>
        <Button type="primary" icon={<UploadOutlined aria-hidden />} disabled={!file || needsAgency} loading={percent !== null} onClick={() => void run()}>
          {t('staffPayments.statements.import')}
        </Button>
      </Space>
      <div aria-live="polite">
        {percent !== null ? <Progress percent={percent} size="small" aria-label={t('staffPayments.statements.uploading')} /> : null}
      </div>
      <div style={{ marginTop: 12 }}>
        <ErrorAlert
          error={error}
          extra={error instanceof ApiRequestError ? error.fields.map((f) => localise(f.message, i18n.language)).filter((m) => m !== (error.localMessage ? localise(error.localMessage, i18n.language) : '')) : undefined}
        />
      </div>
      {result ? (
        <div data-testid="statement-result">
          <Alert
            type={result.unmatched > 0 ? 'warning' : 'success'}
            showIcon
            role="status"
            title={t('staffPayments.statements.summary', result)}
            description={result.unmatched > 0 ? t('staffPayments.statements.summaryUnmatched') : undefined}
            style={{ margin: '12px 0' }}
          />
          <ScrollRegion label={t('staffPayments.statements.importTitle')} minWidth={820}>
            <Table<ImportRow>
              size="small"
              rowKey="rowNo"
              dataSource={result.rows}
              pagination={result.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              columns={[
                { title: t('staffPayments.col.rowNo'), dataIndex: 'rowNo', width: 64 },
                { title: t('staffPayments.col.status'), dataIndex: 'status', render: (s: string) => <StatementRowTag status={s} /> },
                { title: t('staffPayments.col.amount'), dataIndex: 'amountVnd', align: 'right', render: (v: number | null) => (v === null ? '—' : formatMoney(v)) },
                {
                  title: t('staffPayments.col.description'),
                  dataIndex: 'description',
                  render: (v: string) => <div style={{ minWidth: 200, maxWidth: 360, whiteSpace: 'normal' }}>{v}</div>,
                },
                { title: t('staffPayments.col.dossier'), dataIndex: 'dossierCode', render: (v: string | null) => v ?? <span className="muted">—</span> },
                {
                  title: t('staffPayments.col.reason'),
                  dataIndex: 'reason',
                  render: (v: ImportRow['reason']) => (v ? <div style={{ minWidth: 180, maxWidth: 320, whiteSpace: 'normal' }}>{localise(v, i18n.language)}</div> : '—'),
                },
              ]}
            />
          </ScrollRegion>
        </div>
      ) : null}
    </Card>
  );
}

/** Transfers that matched nothing: match each to a payment or dossier, or set it aside with a reason. */
function UnmatchedPanel({ agencyId, canManage }: { agencyId: string | undefined; canManage: boolean }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState<{ key: string; page: number }>({ key: '', page: 1 });
  const page = paging.key === (agencyId ?? '') ? paging.page : 1;
  const list = useUnmatchedTransfers(agencyId, page);
  const [reviewing, setReviewing] = useState<{ row: UnmatchedTransfer; mode: 'match' | 'dismiss' } | null>(null);
  const data = list.data;
  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('staffPayments.statements.unmatchedTitle')}</h2>}>
      <Typography.Paragraph>
        {data ? t('staffPayments.statements.unmatchedSummary', { count: data.total, amount: formatMoney(data.sumVnd) }) : t('staffPayments.statements.unmatchedIntro')}
      </Typography.Paragraph>
      <ErrorAlert error={list.error} />
      <ScrollRegion label={t('staffPayments.statements.unmatchedTitle')} minWidth={860}>
        <Table<UnmatchedTransfer>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={data?.items ?? []}
          data-testid="unmatched-transfers"
          locale={{ emptyText: t('staffPayments.statements.noUnmatched') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            onChange: (p) => setPaging({ key: agencyId ?? '', page: p }),
            showSizeChanger: false,
            hideOnSinglePage: true,
          }}
          columns={[
            { title: t('staffPayments.col.bookedOn'), dataIndex: 'bookedOn', render: (v: string | null) => (v ? formatDate(v) : '—') },
            { title: t('staffPayments.col.amount'), dataIndex: 'amountVnd', align: 'right', render: (v: number) => formatMoney(v) },
            {
              title: t('staffPayments.col.description'),
              dataIndex: 'description',
              render: (v: string) => <div style={{ minWidth: 200, maxWidth: 360, whiteSpace: 'normal' }}>{v}</div>,
            },
            { title: t('staffPayments.col.bankRef'), dataIndex: 'bankRef', render: (v: string | null) => v ?? '—' },
            { title: t('staffPayments.col.importedAt'), dataIndex: 'importedAt', render: (v: string) => formatDateTimeShort(v) },
            ...(canManage
              ? [
                  {
                    title: t('staffPayments.col.actions'),
                    key: 'actions',
                    render: (_: unknown, row: UnmatchedTransfer) => {
                      const what = t('staffPayments.statements.rowName', { amount: formatMoney(row.amountVnd), description: row.description.slice(0, 60) });
                      return (
                        <Space wrap size="small">
                          <Button size="small" type="primary" icon={<CheckOutlined aria-hidden />} onClick={() => setReviewing({ row, mode: 'match' })} aria-label={t('staffPayments.statements.matchFor', { what })}>
                            {t('staffPayments.statements.match')}
                          </Button>
                          <Button size="small" icon={<StopOutlined aria-hidden />} onClick={() => setReviewing({ row, mode: 'dismiss' })} aria-label={t('staffPayments.statements.dismissFor', { what })}>
                            {t('staffPayments.statements.dismiss')}
                          </Button>
                        </Space>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
      </ScrollRegion>
      {reviewing ? <ResolveModal row={reviewing.row} mode={reviewing.mode} onClose={() => setReviewing(null)} /> : null}
    </Card>
  );
}

export function BankStatements({ agencyId, canManage, needsAgency }: { agencyId: string | undefined; canManage: boolean; needsAgency: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {canManage ? (
        <ImportPanel agencyId={agencyId} needsAgency={needsAgency} />
      ) : (
        <Alert type="info" showIcon title={t('staffPayments.statements.readOnly')} style={{ marginBottom: 16 }} />
      )}
      <UnmatchedPanel agencyId={agencyId} canManage={canManage} />
    </>
  );
}
