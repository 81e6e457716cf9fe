import { Checkbox, Grid, Pagination, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Agency } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { agencyName, useAgencies } from '../api/agencies';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageState';
import { SearchForm } from '../components/SearchForm';
import { formatDate } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';

const PAGE_SIZE = 20;

/** "merged into X on 30/06/2025", or "dissolved on …" when there is no successor. */
export function lifecycleText(agency: Agency, t: TFunction, byId: Map<string, Agency>, lng: string): string | null {
  if (!agency.validTo) return null;
  const date = formatDate(agency.validTo);
  if (agency.successorId || agency.successorCode) {
    const successor = agency.successorId ? byId.get(agency.successorId) : undefined;
    const name = successor ? agencyName(successor, lng) : (agency.successorCode ?? '');
    return t('agencies.mergedInto', { name, date });
  }
  return t('agencies.dissolvedOn', { date });
}

function parentLabel(agency: Agency, byId: Map<string, Agency>, lng: string): string {
  if (!agency.parentId) return '';
  const parent = byId.get(agency.parentId);
  return parent ? agencyName(parent, lng) : (agency.parentCode ?? '');
}

export function AgenciesPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const includeDissolved = params.get('all') === '1';
  useDocumentTitle(t('agencies.title'));

  const { data, error, isFetching } = useAgencies({
    q,
    includeDissolved,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const items = data?.items ?? [];
  const byId = new Map(items.map((a) => [a.id, a]));

  const update = (next: { q?: string; page?: number; all?: boolean }) => {
    const p = new URLSearchParams(params);
    if (next.q) p.set('q', next.q);
    else if (next.q !== undefined) p.delete('q');
    if (next.all) p.set('all', '1');
    else if (next.all !== undefined) p.delete('all');
    const nextPage = next.page ?? 1;
    if (nextPage > 1) p.set('page', String(nextPage));
    else p.delete('page');
    setParams(p);
  };

  const columns: TableColumnsType<Agency> = [
    { title: t('agencies.code'), dataIndex: 'code', key: 'code', width: 170, render: (code: string) => <code>{code}</code> },
    {
      title: t('agencies.name'),
      key: 'name',
      render: (_, a) => (
        <>
          <div>{agencyName(a, lng)}</div>
          {lifecycleText(a, t, byId, lng) ? (
            <Typography.Text type="secondary">{lifecycleText(a, t, byId, lng)}</Typography.Text>
          ) : null}
        </>
      ),
    },
    { title: t('agencies.level'), dataIndex: 'level', key: 'level', width: 150, render: (level: string) => t(`agencyLevel.${level}`) },
    { title: t('agencies.parent'), key: 'parent', render: (_, a) => parentLabel(a, byId, lng) },
  ];

  return (
    <>
      <PageTitle>{t('agencies.title')}</PageTitle>
      <Typography.Paragraph>{t('agencies.intro')}</Typography.Paragraph>
      <div className="toolbar">
        <SearchForm
          key={q}
          label={t('agencies.searchLabel')}
          placeholder={t('agencies.searchPlaceholder')}
          initial={q}
          onSearch={(value) => update({ q: value, all: includeDissolved })}
        />
        <Checkbox checked={includeDissolved} onChange={(e) => update({ q, all: e.target.checked })}>
          {t('agencies.includeDissolved')}
        </Checkbox>
      </div>
      <ErrorAlert error={error} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {data ? t('common.resultCount', { count: data.total }) : ''}
      </p>
      {screens.md ? (
        <Table<Agency>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={isFetching}
          locale={{ emptyText: t('agencies.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => update({ q, all: includeDissolved, page: p }),
          }}
        />
      ) : (
        <>
          {items.length === 0 && !isFetching ? <p>{t('agencies.empty')}</p> : null}
          <ul className="card-list" aria-busy={isFetching}>
            {items.map((a) => (
              <li key={a.id} className="card-list-item">
                <div className="card-list-title">{agencyName(a, lng)}</div>
                <div>
                  <code>{a.code}</code> · <Tag>{t(`agencyLevel.${a.level}`)}</Tag>
                </div>
                {a.parentId ? (
                  <div>
                    {t('agencies.parent')}: {parentLabel(a, byId, lng)}
                  </div>
                ) : null}
                {lifecycleText(a, t, byId, lng) ? (
                  <div className="card-list-note">{lifecycleText(a, t, byId, lng)}</div>
                ) : null}
              </li>
            ))}
          </ul>
          {(data?.total ?? 0) > PAGE_SIZE ? (
            <Pagination
              simple
              current={page}
              pageSize={PAGE_SIZE}
              total={data?.total ?? 0}
              onChange={(p) => update({ q, all: includeDissolved, page: p })}
            />
          ) : null}
        </>
      )}
    </>
  );
}
