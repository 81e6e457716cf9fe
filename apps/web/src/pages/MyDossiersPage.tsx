import { Empty, Space, Typography } from 'antd';
import type { DossierSummary } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMyDossiers } from '../api/dossiers';
import { LinkButton } from '../components/LinkButton';
import { PagedCardList } from '../components/PagedCardList';
import { PageTitle } from '../components/PageState';
import { DossierStatusTag, UrgencyTag } from '../components/StatusTag';
import { formatDate, formatDateTimeShort } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { DeleteDraftButton } from './MyDossierPage';

const PAGE_SIZE = 20;

export function DossierCard({ d, headingLevel = 2 }: { d: DossierSummary; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="card-list-item dossier-card" data-testid="my-dossier">
      <Heading className="procedure-card-title">
        <Link to={`/me/dossiers/${d.id}`}>{d.procedureName}</Link>
      </Heading>
      <div className="procedure-card-meta">
        <DossierStatusTag status={d.status} />
        <UrgencyTag overdue={d.overdue} dueSoon={d.dueSoon} />
        <span>
          {t('dossier.code')}: {d.code ? <code>{d.code}</code> : <span className="muted">{t('dossier.noCode')}</span>}
        </span>
      </div>
      <dl className="procedure-card-facts">
        <div>
          <dt>{t('dossier.submittedAt')}</dt>
          <dd>{d.submittedAt ? formatDateTimeShort(d.submittedAt) : t('dossier.notSubmitted')}</dd>
        </div>
        {d.dueAt ? (
          <div>
            <dt>{t('dossier.dueAt')}</dt>
            <dd>{formatDate(d.dueAt)}</dd>
          </div>
        ) : null}
      </dl>
      {d.status === 'draft' && d.channel === 'online' ? (
        <Space wrap style={{ marginTop: 12 }}>
          <LinkButton to={`/procedures/${d.procedureId}/submit?dossier=${d.id}`}>{t('myDossier.continue')}</LinkButton>
          <DeleteDraftButton dossierId={d.id} procedureName={d.procedureName} />
        </Space>
      ) : null}
    </li>
  );
}

export function MyDossiersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  useDocumentTitle(t('myDossiers.title'));
  const list = useMyDossiers(page, PAGE_SIZE);

  return (
    <>
      <PageTitle extra={<LinkButton to="/procedures">{t('myDossiers.new')}</LinkButton>}>{t('myDossiers.title')}</PageTitle>
      <PagedCardList
        list={list}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(p) => setParams(p > 1 ? { page: String(p) } : {})}
        count={(total) => t('myDossiers.count', { count: total })}
        testId="my-dossiers"
        card={(d) => <DossierCard key={d.id} d={d} />}
        empty={
          <Empty description={t('me.noDossiers')}>
            <Typography.Paragraph>{t('myDossiers.emptyHint')}</Typography.Paragraph>
            <LinkButton type="primary" to="/procedures">
              {t('myDossiers.findProcedure')}
            </LinkButton>
          </Empty>
        }
      />
    </>
  );
}
