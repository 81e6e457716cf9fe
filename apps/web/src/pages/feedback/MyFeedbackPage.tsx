import { Empty } from 'antd';
import type { FeedbackSummary } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMyFeedback } from '../../api/feedback';
import { LinkButton } from '../../components/LinkButton';
import { PagedCardList } from '../../components/PagedCardList';
import { PageTitle } from '../../components/PageState';
import { formatDate, formatDateTimeShort } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { FeedbackKindTag, FeedbackStatusTag, FeedbackUrgencyTag } from './parts';

const PAGE_SIZE = 20;

function FeedbackCard({ f }: { f: FeedbackSummary }) {
  const { t } = useTranslation();
  return (
    <li className="card-list-item" data-testid="my-feedback">
      <h2 className="procedure-card-title">
        <Link to={`/me/feedback/${f.id}`}>{f.subject}</Link>
      </h2>
      <div className="procedure-card-meta">
        <FeedbackKindTag kind={f.kind} />
        <FeedbackStatusTag status={f.status} />
        <FeedbackUrgencyTag overdue={f.overdue} />
        <span>
          {t('feedback.code')}: <code>{f.code}</code>
        </span>
      </div>
      <dl className="procedure-card-facts">
        <div>
          <dt>{t('feedback.agency')}</dt>
          <dd>{f.agencyName}</dd>
        </div>
        <div>
          <dt>{t('feedback.receivedAt')}</dt>
          <dd>{formatDateTimeShort(f.receivedAt)}</dd>
        </div>
        {f.dueAt ? (
          <div>
            <dt>{t('feedback.dueAt')}</dt>
            <dd>{formatDate(f.dueAt)}</dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

/** "Phản ánh của tôi": every item the citizen filed, newest first. */
export function MyFeedbackPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  useDocumentTitle(t('feedback.mine.title'));
  const list = useMyFeedback(page, PAGE_SIZE);
  return (
    <>
      <PageTitle extra={<LinkButton to="/me/feedback/new">{t('feedback.mine.new')}</LinkButton>}>{t('feedback.mine.title')}</PageTitle>
      <PagedCardList
        list={list}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(p) => setParams(p > 1 ? { page: String(p) } : {})}
        count={(total) => t('feedback.mine.count', { count: total })}
        testId="my-feedback-list"
        card={(f) => <FeedbackCard key={f.id} f={f} />}
        empty={
          <Empty description={t('feedback.mine.empty')}>
            <LinkButton type="primary" to="/me/feedback/new">
              {t('feedback.mine.new')}
            </LinkButton>
          </Empty>
        }
      />
    </>
  );
}
