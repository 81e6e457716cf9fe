import { useId, useState } from 'react';
import { Button, Empty, Input, Pagination, Space, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { PublishedFeedback } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { usePublishedFeedback } from '../../api/feedback';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LinkButton } from '../../components/LinkButton';
import { Loading, PageTitle } from '../../components/PageState';
import { formatDate } from '../../lib/format';
import { listParams } from '../../lib/list-params';
import { useDocumentTitle } from '../../lib/use-document-title';
import { agencyLabel, FeedbackKindTag, UserText } from './parts';

const PAGE_SIZE = 20;

function PublishedCard({ f }: { f: PublishedFeedback }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="card-list-item" data-testid="published-feedback">
      <h2 className="procedure-card-title">{f.subject}</h2>
      <div className="procedure-card-meta">
        <FeedbackKindTag kind={f.kind} />
        <span>
          {t('feedback.code')}: <code>{f.code}</code>
        </span>
      </div>
      <dl className="procedure-card-facts">
        <div>
          <dt>{t('feedback.agency')}</dt>
          <dd>{agencyLabel(f.agency, i18n.language)}</dd>
        </div>
        {f.procedureName ? (
          <div>
            <dt>{t('feedback.procedure')}</dt>
            <dd>{f.procedureName}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('feedback.receivedAt')}</dt>
          <dd>{formatDate(f.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t('feedback.answeredAt')}</dt>
          <dd>{formatDate(f.answeredAt)}</dd>
        </div>
      </dl>
      <h3 className="sub-heading">{t('feedback.public.question')}</h3>
      <UserText>{f.content}</UserText>
      <h3 className="sub-heading">{t('feedback.public.answer')}</h3>
      <UserText testId="published-answer">{f.answer}</UserText>
    </li>
  );
}

/** The public page of published answers: no sender's name, phone or dossier. */
export function PublishedFeedbackPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [text, setText] = useState(q);
  const searchId = useId();
  useDocumentTitle(t('feedback.public.title'));
  const list = usePublishedFeedback({ q: q || undefined }, page, PAGE_SIZE);
  return (
    <>
      <PageTitle extra={<LinkButton to="/phan-anh">{t('feedback.public.send')}</LinkButton>}>{t('feedback.public.title')}</PageTitle>
      <Typography.Paragraph>{t('feedback.public.intro')}</Typography.Paragraph>
      <form
        role="search"
        aria-label={t('feedback.public.search')}
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(listParams({}, { q: text.trim() }));
        }}
      >
        <div className="inline-field" style={{ flex: '1 1 280px' }}>
          <label htmlFor={searchId}>{t('feedback.public.search')}</label>
          <Space.Compact style={{ width: '100%' }}>
            <Input id={searchId} value={text} onChange={(e) => setText(e.target.value)} maxLength={100} />
            <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
              {t('common.search')}
            </Button>
          </Space.Compact>
        </div>
      </form>
      <ErrorAlert error={list.error} />
      {list.isPending ? <Loading /> : null}
      {list.data ? (
        <p role="status" className="result-count">
          {t('feedback.public.count', { count: list.data.total })}
        </p>
      ) : null}
      {list.data && list.data.items.length === 0 ? <Empty description={t('feedback.public.empty')} /> : null}
      {list.data && list.data.items.length > 0 ? (
        <ul className="card-list" data-testid="published-feedback-list">
          {list.data.items.map((f) => (
            <PublishedCard key={f.id} f={f} />
          ))}
        </ul>
      ) : null}
      {list.data && list.data.total > PAGE_SIZE ? (
        <Space style={{ width: '100%', justifyContent: 'center' }}>
          <Pagination current={page} pageSize={PAGE_SIZE} total={list.data.total} showSizeChanger={false} onChange={(p) => setParams(listParams({ q }, { page: p }))} />
        </Space>
      ) : null}
    </>
  );
}
