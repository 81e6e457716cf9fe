import { useState, type ReactNode } from 'react';
import { Button, Space, Table, Typography } from 'antd';
import type { DrillItem, DrillMetric } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDrill, type Period } from '../../api/reports';
import { formatDateTimeShort } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';

/** Dossiers behind a figure: code (opens the dossier, audited there), procedure, agency, dates, status. No personal data. */
export function DrillTable({
  items,
  total,
  page,
  onPage,
  loading,
  testId,
}: {
  items: DrillItem[];
  total: number;
  page: number;
  onPage?: (p: number) => void;
  loading?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  // An empty table says so in a line: an empty scrolling region would be a keyboard trap for nothing.
  if (items.length === 0 && !loading) {
    return (
      <Typography.Paragraph className="muted" data-testid={testId} style={{ margin: 0 }}>
        {t('reports2.drillEmpty')}
      </Typography.Paragraph>
    );
  }
  return (
    <Table<DrillItem>
      size="small"
      rowKey="id"
      data-testid={testId}
      loading={loading}
      dataSource={items}
      scroll={{ x: true }}
      locale={{ emptyText: t('reports2.drillEmpty') }}
      pagination={onPage && total > 20 ? { current: page, pageSize: 20, total, onChange: onPage, showSizeChanger: false } : false}
      columns={[
        {
          title: t('reports.dossierCode'),
          key: 'code',
          render: (_: unknown, d) => <Link to={`/staff/dossiers/${d.id}`}>{d.code ?? d.id.slice(0, 8)}</Link>,
        },
        { title: t('reports.procedure'), key: 'procedure', render: (_: unknown, d) => d.procedure.name },
        { title: t('reports.agency'), dataIndex: 'agencyCode' },
        { title: t('reports2.channel'), dataIndex: 'channel', render: (v: DrillItem['channel']) => t(`reports2.channels.${v}`) },
        { title: t('reports.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => formatDateTimeShort(v) },
        { title: t('reports.dueAt'), dataIndex: 'dueAt', render: (v: string | null) => (v ? formatDateTimeShort(v) : '—') },
        { title: t('reports2.status'), dataIndex: 'status', render: (v: string) => t(`dossierStatus.${v}`, { defaultValue: v }) },
        {
          title: t('reports.timeliness'),
          key: 'timeliness',
          render: (_: unknown, d) => (d.timeliness ? t(`reports.timelinessValues.${d.timeliness}`) : '—'),
        },
      ]}
    />
  );
}

/**
 * The dossiers behind one figure (or behind a lowered index component) of a scope and period,
 * a page at a time, under a heading that says which figure and how many.
 */
export function DrillPanel({
  agency,
  period,
  metric,
  title,
  onClose,
  testId = 'drill-list',
}: {
  agency: string;
  period: Period;
  metric: DrillMetric;
  /** The heading, given the total. */
  title: (total: number) => ReactNode;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const drill = useDrill(agency, period, metric, page);
  return (
    <section aria-labelledby={`${testId}-heading`} data-testid={testId} data-metric={metric} style={{ marginTop: 16 }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
        <h3 id={`${testId}-heading`} className="card-heading" style={{ margin: 0 }}>
          {title(drill.data?.total ?? 0)}
        </h3>
        <Button size="small" onClick={onClose}>
          {t('reports2.drillClose')}
        </Button>
      </Space>
      <ErrorAlert error={drill.error} />
      <DrillTable
        items={drill.data?.items ?? []}
        total={drill.data?.total ?? 0}
        page={page}
        onPage={setPage}
        loading={drill.isFetching}
        testId={`${testId}-table`}
      />
    </section>
  );
}
