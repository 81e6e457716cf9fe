import { Alert, Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditEvent, AuditVerify, Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchForm } from '../../components/SearchForm';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';

const PAGE_SIZE = 50;

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  return JSON.stringify(details);
}

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const action = params.get('action') ?? '';
  useDocumentTitle(t('audit.title'));

  const events = useQuery({
    queryKey: ['audit', page, action],
    queryFn: () => api.get<Page<AuditEvent>>('/audit', { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, action }),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: () => api.get<AuditVerify>('/audit/verify') });

  const columns: TableColumnsType<AuditEvent> = [
    { title: t('audit.at'), dataIndex: 'at', key: 'at', width: 170, render: (at: string) => formatDateTime(at) },
    { title: t('audit.actor'), key: 'actor', render: (_, e) => e.actorName ?? e.actorId ?? t('audit.system') },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (a: string) => <code>{a}</code> },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_, e) => (e.objectType ? `${e.objectType}${e.objectId ? ` #${e.objectId}` : ''}` : ''),
    },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', width: 140 },
    {
      title: t('audit.details'),
      key: 'details',
      render: (_, e) => <span className="audit-details">{detailsText(e.details)}</span>,
    },
  ];

  const setPage = (next: number, nextAction = action) => {
    const p = new URLSearchParams();
    if (nextAction) p.set('action', nextAction);
    if (next > 1) p.set('page', String(next));
    setParams(p);
  };

  return (
    <>
      <PageTitle
        extra={
          <Button icon={<SafetyCertificateOutlined aria-hidden />} onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('audit.verify')}
          </Button>
        }
      >
        {t('audit.title')}
      </PageTitle>
      <Typography.Paragraph>{t('audit.intro')}</Typography.Paragraph>
      <div aria-live="polite">
        {verify.data ? (
          <Alert
            showIcon
            type={verify.data.ok ? 'success' : 'error'}
            data-testid="audit-verify-result"
            title={
              verify.data.ok
                ? t('audit.verifyOk', { count: verify.data.checked })
                : t('audit.verifyBroken', { count: verify.data.checked, at: verify.data.brokenAt ?? '?' })
            }
            style={{ marginBottom: 16 }}
          />
        ) : null}
      </div>
      <ErrorAlert error={verify.error} />
      <div className="toolbar">
        <SearchForm
          key={action}
          label={t('audit.filterAction')}
          placeholder={t('audit.filterPlaceholder')}
          initial={action}
          onSearch={(value) => setPage(1, value)}
        />
      </div>
      <ErrorAlert error={events.error} />
      <ScrollRegion label={t('audit.title')} minWidth={900}>
        <Table<AuditEvent>
          rowKey={(e) => String(e.id)}
          columns={columns}
          dataSource={events.data?.items ?? []}
          loading={events.isFetching}
          size="small"
          locale={{ emptyText: t('audit.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: events.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => setPage(p),
          }}
        />
      </ScrollRegion>
    </>
  );
}
