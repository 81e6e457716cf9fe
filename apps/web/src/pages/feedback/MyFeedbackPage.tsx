import { Button, Empty, Pagination, Space } from 'antd';
import type { FeedbackSummary } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMyFeedback } from '../../api/feedback';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LinkButton } from '../../components/LinkButton';
import { Loading, PageTitle } from '../../components/PageState';
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
      {list.error ? (
        <div className="state-block">
          <ErrorAlert error={list.error} />
          <Button onClick={() => void list.refetch()}>{t('common.retry')}</Button>
        </div>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <div className="empty-block">
          <Empty description={t('feedback.mine.empty')}>
            <LinkButton type="primary" to="/me/feedback/new">
              {t('feedback.mine.new')}
            </LinkButton>
          </Empty>
        </div>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <>
          <p role="status" className="result-count">
            {t('feedback.mine.count', { count: list.data.total })}
          </p>
          <ul className="card-list" data-testid="my-feedback-list">
            {list.data.items.map((f) => (
              <FeedbackCard key={f.id} f={f} />
            ))}
          </ul>
          {list.data.total > PAGE_SIZE ? (
            <Space style={{ width: '100%', justifyContent: 'center' }}>
              <Pagination
                current={page}
                pageSize={PAGE_SIZE}
                total={list.data.total}
                showSizeChanger={false}
                onChange={(p) => setParams(p > 1 ? { page: String(p) } : {})}
              />
            </Space>
          ) : null}
        </>
      ) : null}
    </>
  );
}
