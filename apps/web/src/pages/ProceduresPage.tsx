import { useId } from 'react';
import { Button, Empty, Pagination, Select, Space, Tag, Typography } from 'antd';
import { ClockCircleOutlined, FileSearchOutlined } from '@ant-design/icons';
import type { OnlineLevel, ProcedureSummary } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { fieldName, ONLINE_LEVELS, useProcedureFields, useProcedures } from '../api/catalog';
import { AgencySelect } from '../components/AgencySelect';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading, PageTitle } from '../components/PageState';
import { SearchForm } from '../components/SearchForm';
import { OnlineLevelTag } from '../components/StatusTag';
import { formatMoney } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';

const PAGE_SIZE = 20;

export function processingTimeText(t: TFunction, time: ProcedureSummary['processingTime']) {
  return time.unit === 'working_days' ? t('procedure.workingDays', { count: time.value }) : t('procedure.workingHours', { count: time.value });
}

function ProcedureCard({ p, fieldLabel }: { p: ProcedureSummary; fieldLabel: string }) {
  const { t } = useTranslation();
  const receiving = p.agencies.filter((a) => a.kind === 'receiving');
  const where =
    receiving.length > 3
      ? t('procedures.manyAgencies', { count: receiving.length })
      : receiving.map((a) => a.name).join('; ');
  return (
    <li className="card-list-item procedure-card">
      <h2 className="procedure-card-title">
        <Link to={`/procedures/${p.id}`}>{p.name}</Link>
      </h2>
      <div className="procedure-card-meta">
        <OnlineLevelTag level={p.onlineLevel} />
        <span>
          {t('procedure.code')}: <code>{p.code}</code>
        </span>
        <span>{fieldLabel}</span>
      </div>
      <dl className="procedure-card-facts">
        <div>
          <dt>
            <ClockCircleOutlined aria-hidden /> {t('procedure.processingTime')}
          </dt>
          <dd>{processingTimeText(t, p.processingTime)}</dd>
        </div>
        <div>
          <dt>{t('procedure.fees')}</dt>
          <dd>{p.feeTotal > 0 ? formatMoney(p.feeTotal) : t('procedure.free')}</dd>
        </div>
        <div>
          <dt>{t('procedure.whereToSubmit')}</dt>
          <dd>{where}</dd>
        </div>
      </dl>
    </li>
  );
}

export function ProceduresPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const agencyId = params.get('agencyId') ?? '';
  const fieldId = params.get('fieldId') ?? '';
  const levelParam = params.get('onlineLevel') ?? '';
  const onlineLevel = (ONLINE_LEVELS as readonly string[]).includes(levelParam) ? (levelParam as OnlineLevel) : undefined;
  const feeParam = params.get('hasFee');
  const hasFee = feeParam === 'true' ? true : feeParam === 'false' ? false : undefined;
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const fieldLabelId = useId();
  const agencyLabelId = useId();
  const levelLabelId = useId();
  const feeLabelId = useId();
  useDocumentTitle(q ? t('procedures.titleFor', { q }) : t('procedures.title'));

  const fields = useProcedureFields();
  const results = useProcedures({
    q: q || undefined,
    agencyId: agencyId || undefined,
    fieldId: fieldId || undefined,
    onlineLevel,
    hasFee,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });

  const update = (next: Partial<Record<'q' | 'agencyId' | 'fieldId' | 'onlineLevel' | 'hasFee' | 'page', string>>) => {
    const merged: Record<string, string> = {
      q,
      agencyId,
      fieldId,
      onlineLevel: onlineLevel ?? '',
      hasFee: feeParam ?? '',
      ...next,
    };
    if (!('page' in next)) merged.page = '';
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(merged)) if (v && !(k === 'page' && v === '1')) p.set(k, v);
    setParams(p);
  };

  const filtered = !!(agencyId || fieldId || onlineLevel || hasFee !== undefined);
  const fieldById = new Map((fields.data?.items ?? []).map((f) => [f.id, f]));
  const labelOfField = (f: ProcedureSummary['field']) => {
    const full = fieldById.get(f.id);
    return full ? fieldName(full, i18n.language) : f.name;
  };
  const data = results.data;

  return (
    <>
      <PageTitle>{t('procedures.title')}</PageTitle>
      <div className="toolbar">
        <SearchForm
          key={q}
          label={t('home.searchLabel')}
          placeholder={t('home.searchPlaceholder')}
          initial={q}
          onSearch={(value) => update({ q: value })}
        />
      </div>
      <section aria-label={t('procedures.filters')} className="filters">
        <div className="inline-field">
          <span id={fieldLabelId}>{t('procedure.field')}</span>
          <Select
            aria-labelledby={fieldLabelId}
            value={fieldId || ''}
            onChange={(v) => update({ fieldId: v })}
            style={{ width: '100%' }}
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              { value: '', label: t('procedures.allFields') },
              ...(fields.data?.items ?? []).map((f) => ({ value: f.id, label: `${fieldName(f, i18n.language)} (${f.procedureCount})` })),
            ]}
          />
        </div>
        <div className="inline-field">
          <span id={agencyLabelId}>{t('procedure.agency')}</span>
          <AgencySelect aria-labelledby={agencyLabelId} value={agencyId || null} onChange={(v) => update({ agencyId: v ?? '' })} />
        </div>
        <div className="inline-field">
          <span id={levelLabelId}>{t('procedure.onlineLevel')}</span>
          <Select
            aria-labelledby={levelLabelId}
            value={onlineLevel ?? ''}
            onChange={(v) => update({ onlineLevel: v })}
            style={{ width: '100%' }}
            options={[{ value: '', label: t('procedures.allLevels') }, ...ONLINE_LEVELS.map((l) => ({ value: l, label: t(`onlineLevel.${l}`) }))]}
          />
        </div>
        <div className="inline-field">
          <span id={feeLabelId}>{t('procedure.fees')}</span>
          <Select
            aria-labelledby={feeLabelId}
            value={feeParam ?? ''}
            onChange={(v) => update({ hasFee: v })}
            style={{ width: '100%' }}
            options={[
              { value: '', label: t('procedures.anyFee') },
              { value: 'true', label: t('procedures.withFee') },
              { value: 'false', label: t('procedures.noFee') },
            ]}
          />
        </div>
        {filtered ? (
          <Button onClick={() => update({ agencyId: '', fieldId: '', onlineLevel: '', hasFee: '' })} className="filters-clear">
            {t('procedures.clearFilters')}
          </Button>
        ) : null}
      </section>

      {results.error ? (
        <div className="state-block">
          <ErrorAlert error={results.error} />
          <Button onClick={() => void results.refetch()}>{t('common.retry')}</Button>
        </div>
      ) : null}
      {results.isPending ? <Loading /> : null}
      <div role="status" aria-live="polite" className="result-count">
        {data ? (
          <Typography.Text>
            {q ? t('procedures.countFor', { count: data.total, q }) : t('procedures.count', { count: data.total })}
          </Typography.Text>
        ) : null}
      </div>
      {data && data.items.length === 0 ? (
        <div className="empty-block">
          <Empty
            image={<FileSearchOutlined aria-hidden style={{ fontSize: 48, color: '#8c8c8c' }} />}
            description={
              <>
                <p>{t('procedures.empty')}</p>
                <p>{filtered ? t('procedures.emptyFiltered') : t('procedures.emptyHint')}</p>
              </>
            }
          >
            {filtered ? <Button onClick={() => update({ agencyId: '', fieldId: '', onlineLevel: '', hasFee: '' })}>{t('procedures.clearFilters')}</Button> : null}
          </Empty>
        </div>
      ) : null}
      {data && data.items.length > 0 ? (
        <>
          <ul className="card-list" data-testid="procedure-results" aria-busy={results.isFetching}>
            {data.items.map((p) => (
              <ProcedureCard key={p.id} p={p} fieldLabel={labelOfField(p.field)} />
            ))}
          </ul>
          {data.total > PAGE_SIZE ? (
            <Space style={{ width: '100%', justifyContent: 'center' }}>
              <Pagination
                current={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                showSizeChanger={false}
                onChange={(p) => {
                  update({ page: String(p) });
                  window.scrollTo({ top: 0 });
                }}
              />
            </Space>
          ) : null}
        </>
      ) : null}
      {q ? null : (
        <Typography.Paragraph className="muted-note">
          <Tag>{t('procedures.tip')}</Tag> {t('procedures.tipText')}
        </Typography.Paragraph>
      )}
    </>
  );
}
