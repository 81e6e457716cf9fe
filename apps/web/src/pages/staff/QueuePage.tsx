import { useId, useState } from 'react';
import { Badge, Button, Card, Checkbox, DatePicker, Select, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import type { DossierSummary, StaffQueue } from '@motcua/contracts';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, NavLink, Navigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useProcedures } from '../../api/catalog';
import { registerUrl, STAFF_QUEUES, useQueue, useQueueCount, type QueueFilters } from '../../api/dossiers';
import { useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { UrgencyTable } from '../../components/UrgencyTable';
import { DossierStatusTag, UrgencyTag } from '../../components/StatusTag';
import { formatDateTimeShort } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';

const PAGE_SIZE = 25;

function QueueTab({ queue, filters }: { queue: StaffQueue; filters: QueueFilters }) {
  const { t } = useTranslation();
  const count = useQueueCount(queue, filters);
  const urgent = queue === 'overdue' || queue === 'due_soon';
  return (
    <NavLink to={`/staff/queues/${queue}`} className="queue-tab" data-queue={queue}>
      {t(`queues.${queue}`)}
      {queue !== 'all' && count.data !== undefined ? (
        <Badge
          count={count.data}
          showZero
          overflowCount={999}
          className="queue-count"
          color={urgent && count.data > 0 ? (queue === 'overdue' ? '#8c1d18' : '#8a5300') : '#595959'}
          aria-label={t('queues.countAria', { count: count.data })}
        />
      ) : null}
    </NavLink>
  );
}

/** Procedure filter: the published catalogue, searched as the official types. */
function ProcedureFilter({ value, onChange, labelledBy }: { value: string; onChange: (v: string) => void; labelledBy: string }) {
  const { t } = useTranslation();
  const results = useProcedures({ limit: 50, offset: 0 });
  return (
    <Select
      aria-labelledby={labelledBy}
      value={value || ''}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%' }}
      options={[{ value: '', label: t('queues.allProcedures') }, ...(results.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))]}
      popupMatchSelectWidth={false}
    />
  );
}

/** The dossier register (sổ theo dõi hồ sơ, form 07) of an agency for a period, as a PDF. */
function RegisterCard() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [agencyId, setAgencyId] = useState<string | null>(me?.roles[0]?.agencyId ?? null);
  const [from, setFrom] = useState<Dayjs | null>(dayjs().startOf('month'));
  const [to, setTo] = useState<Dayjs | null>(dayjs());
  const agencyLabel = useId();
  const fromLabel = useId();
  const toLabel = useId();
  const ok = !!agencyId && !!from && !!to && !to.isBefore(from, 'day');
  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('queues.registerTitle')}</h2>}>
      <div className="filters">
        <div className="inline-field">
          <span id={agencyLabel}>{t('queues.agency')}</span>
          <AgencySelect aria-labelledby={agencyLabel} value={agencyId} onChange={setAgencyId} allowClear={false} />
        </div>
        <div className="inline-field">
          <span id={fromLabel}>{t('queues.registerFrom')}</span>
          <DatePicker aria-labelledby={fromLabel} format="DD/MM/YYYY" value={from} onChange={setFrom} style={{ width: '100%' }} />
        </div>
        <div className="inline-field">
          <span id={toLabel}>{t('queues.registerTo')}</span>
          <DatePicker aria-labelledby={toLabel} format="DD/MM/YYYY" value={to} onChange={setTo} style={{ width: '100%' }} />
        </div>
        <Button
          icon={<FilePdfOutlined aria-hidden />}
          href={ok ? registerUrl(agencyId!, from!.format('YYYY-MM-DD'), to!.format('YYYY-MM-DD')) : undefined}
          disabled={!ok}
          download
        >
          {t('queues.registerDownload')}
        </Button>
      </div>
    </Card>
  );
}

export function QueuePage() {
  const { queue: param } = useParams();
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const queue = (STAFF_QUEUES as readonly string[]).includes(param ?? '') ? (param as StaffQueue) : null;
  const filters: QueueFilters = {
    agencyId: params.get('agencyId') || undefined,
    procedureId: params.get('procedureId') || undefined,
    dueBefore: params.get('dueBefore') || undefined,
    mine: params.get('mine') === 'true' ? 'true' : undefined,
  };
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const agencyLabel = useId();
  const procedureLabel = useId();
  const dueLabel = useId();
  useDocumentTitle(queue ? t('queues.heading', { queue: t(`queues.${queue}`) }) : t('queues.title'));
  const list = useQueue(queue ?? 'all', filters, page, PAGE_SIZE);
  if (!queue) return <Navigate to="/staff/queues/all" replace />;

  const update = (next: Partial<Record<'agencyId' | 'procedureId' | 'dueBefore' | 'mine' | 'page', string>>) => {
    const merged: Record<string, string> = {
      agencyId: filters.agencyId ?? '',
      procedureId: filters.procedureId ?? '',
      dueBefore: filters.dueBefore ?? '',
      mine: filters.mine ?? '',
      page: '',
      ...next,
    };
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(merged)) if (v && !(k === 'page' && v === '1')) p.set(k, v);
    setParams(p);
  };

  const columns: TableColumnsType<DossierSummary> = [
    {
      title: t('dossier.code'),
      key: 'code',
      width: 200,
      render: (_, d) => (
        <Link to={`/staff/dossiers/${d.id}`} className="dossier-link">
          {d.code ?? t('queues.noCodeLink')}
        </Link>
      ),
    },
    { title: t('dossier.procedure'), dataIndex: 'procedureName', key: 'procedure' },
    { title: t('dossier.applicant'), dataIndex: 'applicantName', key: 'applicant', width: 180 },
    {
      title: t('dossier.status'),
      key: 'status',
      width: 170,
      render: (_, d) => (
        <>
          <DossierStatusTag status={d.status} />
          {d.assigneeId && d.assigneeId === me?.id ? <div className="muted">{t('queues.heldByMe')}</div> : null}
        </>
      ),
    },
    { title: t('dossier.receivedAt'), key: 'received', width: 140, render: (_, d) => formatDateTimeShort(d.receivedAt ?? d.submittedAt) },
    {
      title: t('dossier.dueAt'),
      key: 'due',
      width: 170,
      render: (_, d) => (
        <>
          <div>{d.dueAt ? formatDateTimeShort(d.dueAt) : '—'}</div>
          <UrgencyTag overdue={d.overdue} dueSoon={d.dueSoon} />
        </>
      ),
    },
  ];

  return (
    <>
      <PageTitle>{t('queues.heading', { queue: t(`queues.${queue}`) })}</PageTitle>
      <nav aria-label={t('queues.tabsLabel')} className="queue-tabs">
        {STAFF_QUEUES.map((q) => (
          <QueueTab key={q} queue={q} filters={filters} />
        ))}
      </nav>
      <Typography.Paragraph className="muted">{t(`queues.explain.${queue}`)}</Typography.Paragraph>
      <section aria-label={t('procedures.filters')} className="filters">
        <div className="inline-field">
          <span id={agencyLabel}>{t('queues.agency')}</span>
          <AgencySelect aria-labelledby={agencyLabel} value={filters.agencyId ?? null} onChange={(v) => update({ agencyId: v ?? '' })} />
        </div>
        <div className="inline-field">
          <span id={procedureLabel}>{t('dossier.procedure')}</span>
          <ProcedureFilter labelledBy={procedureLabel} value={filters.procedureId ?? ''} onChange={(v) => update({ procedureId: v })} />
        </div>
        <div className="inline-field">
          <span id={dueLabel}>{t('queues.dueBefore')}</span>
          <DatePicker
            aria-labelledby={dueLabel}
            format="DD/MM/YYYY"
            value={filters.dueBefore ? dayjs(filters.dueBefore) : null}
            onChange={(v) => update({ dueBefore: v ? v.endOf('day').toISOString() : '' })}
            style={{ width: '100%' }}
          />
        </div>
        <div className="inline-field">
          <Checkbox checked={!!filters.mine} onChange={(e) => update({ mine: e.target.checked ? 'true' : '' })} data-testid="queue-mine">
            {t('queues.mineOnly')}
          </Checkbox>
        </div>
        {filters.agencyId || filters.procedureId || filters.dueBefore || filters.mine ? (
          <Button onClick={() => update({ agencyId: '', procedureId: '', dueBefore: '', mine: '' })} className="filters-clear">
            {t('procedures.clearFilters')}
          </Button>
        ) : null}
      </section>
      <ErrorAlert error={list.error} />
      <UrgencyTable<DossierSummary>
        label={t(`queues.${queue}`)}
        minWidth={960}
        columns={columns}
        items={list.data?.items ?? []}
        loading={list.isFetching}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(p) => update({ page: String(p) })}
        empty={t('queues.empty')}
        testId="queue-table"
      />
      {queue === 'all' ? <RegisterCard /> : null}
    </>
  );
}
