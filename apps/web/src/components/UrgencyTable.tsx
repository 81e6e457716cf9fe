import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { ScrollRegion } from './ScrollRegion';

/**
 * A work queue's table: rows past their deadline or close to it marked, scrolling inside its
 * own region on a narrow screen, paged by the caller's URL.
 */
export function UrgencyTable<T extends { id: string; overdue: boolean; dueSoon: boolean }>({
  label, minWidth, columns, items, loading, total, page, pageSize, onPage, empty, testId,
}: {
  label: string;
  minWidth: number;
  columns: TableColumnsType<T>;
  items: T[];
  loading: boolean;
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  empty: string;
  testId: string;
}) {
  return (
    <ScrollRegion label={label} minWidth={minWidth}>
      <Table<T>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={loading}
        data-testid={testId}
        rowClassName={(x) => (x.overdue ? 'row-overdue' : x.dueSoon ? 'row-due-soon' : '')}
        locale={{ emptyText: empty }}
        pagination={{ current: page, pageSize, total, showSizeChanger: false, hideOnSinglePage: true, onChange: onPage }}
      />
    </ScrollRegion>
  );
}
