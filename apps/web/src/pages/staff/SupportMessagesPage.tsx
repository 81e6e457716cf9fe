import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { MessageSummary } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { fieldMessages, useMessages, type MessageFilters } from '../../api/notify';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDateTime } from '../../lib/format';
import { listParams } from '../../lib/list-params';
import { useDocumentTitle } from '../../lib/use-document-title';
import { MessageDetailDrawer } from './support/MessageDetailDrawer';
import { MessageFiltersForm } from './support/MessageFiltersForm';
import { MessageStatusTag } from './support/MessageStatusTag';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['code', 'recipient', 'status', 'channel', 'from', 'to'] as const;

function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Support staff's message history: every SMS, email and in-app message of their agencies with
 * its status, so they can answer "did I get the SMS?". Filters live in the URL; `?message=`
 * opens one message with its history.
 */
export function SupportMessagesPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters: MessageFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const openId = params.get('message');
  useDocumentTitle(t('notifyAdmin.support.title'));

  const messages = useMessages(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const update = (next: MessageFilters & { page?: number; message?: string }) => {
    const p = listParams({ ...filters, message: openId ?? undefined }, next);
    setParams(p);
  };
  const filtersKey = FILTER_KEYS.map((k) => filters[k] ?? '').join('|');

  const columns: TableColumnsType<MessageSummary> = [
    { title: t('notifyAdmin.support.createdAt'), key: 'at', width: 165, render: (_, m) => formatDateTime(m.createdAt) },
    { title: t('notifyAdmin.support.dossier'), key: 'code', width: 210, render: (_, m) => m.dossierCode ?? '—' },
    { title: t('notifyAdmin.support.channel'), key: 'channel', width: 120, render: (_, m) => t(`notifyAdmin.channel.${m.channel}`) },
    {
      title: t('notifyAdmin.support.recipientShort'),
      key: 'recipient',
      width: 190,
      render: (_, m) => <span className="break-all">{m.recipient ?? (m.recipientUserId ? t('notifyAdmin.support.inAppRecipient') : '—')}</span>,
    },
    {
      title: t('notifyAdmin.support.event'),
      key: 'event',
      render: (_, m) => (
        <>
          <div>{t(`notifyAdmin.events.${m.event}`, { defaultValue: m.event })}</div>
          <Typography.Text type="secondary">{excerpt(m.subject ?? m.body)}</Typography.Text>
        </>
      ),
    },
    { title: t('notifyAdmin.support.status'), key: 'status', width: 150, render: (_, m) => <MessageStatusTag status={m.status} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, m) => (
        <Button size="small" onClick={() => update({ message: m.id, page })}>
          {t('notifyAdmin.support.open')}
          <span className="visually-hidden">
            {' '}
            {t('notifyAdmin.support.openWhich', { channel: t(`notifyAdmin.channel.${m.channel}`), at: formatDateTime(m.createdAt) })}
          </span>
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle>{t('notifyAdmin.support.title')}</PageTitle>
      <Typography.Paragraph>{t('notifyAdmin.support.intro')}</Typography.Paragraph>
      <MessageFiltersForm key={filtersKey} initial={filters} onSearch={(f) => setParams(listParams({}, { ...f }))} />
      <ErrorAlert error={messages.error} extra={fieldMessages(messages.error, i18n.language)} />
      <p className="result-count" aria-live="polite" data-testid="message-count">
        {messages.data ? t('notifyAdmin.support.count', { count: messages.data.total }) : null}
      </p>
      <ScrollRegion label={t('notifyAdmin.support.tableLabel')} minWidth={1080}>
        <div data-testid="message-list">
          <Table<MessageSummary>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={messages.error ? [] : (messages.data?.items ?? [])}
            loading={messages.isFetching}
            locale={{ emptyText: t('notifyAdmin.support.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: messages.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => update({ page: p }),
            }}
          />
        </div>
      </ScrollRegion>
      <MessageDetailDrawer id={openId} onClose={() => update({ message: '', page })} />
    </>
  );
}
