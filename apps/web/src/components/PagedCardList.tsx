import type { ReactNode } from 'react';
import { Button, Pagination, Space } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './PageState';

/**
 * A page of cards from a list query, with its states: the error with a retry, loading, the
 * empty message, the count (announced), and the pager when there is more than one page.
 */
export function PagedCardList<T extends { id: string }>({
  list,
  page,
  pageSize,
  onPage,
  empty,
  count,
  testId,
  card,
}: {
  list: UseQueryResult<{ items: T[]; total: number }>;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** Shown when there is nothing (inside the empty block). */
  empty: ReactNode;
  /** The count line, e.g. "3 hồ sơ". */
  count: (total: number) => string;
  testId: string;
  card: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      {list.error ? (
        <div className="state-block">
          <ErrorAlert error={list.error} />
          <Button onClick={() => void list.refetch()}>{t('common.retry')}</Button>
        </div>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? <div className="empty-block">{empty}</div> : null}
      {list.data && list.data.items.length > 0 ? (
        <>
          <p role="status" className="result-count">
            {count(list.data.total)}
          </p>
          <ul className="card-list" data-testid={testId}>
            {list.data.items.map(card)}
          </ul>
          {list.data.total > pageSize ? (
            <Space style={{ width: '100%', justifyContent: 'center' }}>
              <Pagination current={page} pageSize={pageSize} total={list.data.total} showSizeChanger={false} onChange={onPage} />
            </Space>
          ) : null}
        </>
      ) : null}
    </>
  );
}
