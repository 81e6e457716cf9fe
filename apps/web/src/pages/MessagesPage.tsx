import { useEffect, useState } from 'react';
import { App, Badge, Button, Card, Checkbox, Empty, List, Radio, Space, Typography } from 'antd';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InboxList, InboxMessage, NotificationPreferences } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading, PageTitle } from '../components/PageState';
import { formatDateTimeShort } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';

const MESSAGES_KEY = ['me', 'messages'] as const;
const PREFS_KEY = ['me', 'notification-preferences'] as const;
const PAGE_SIZE = 20;

function PreferencesForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: PREFS_KEY, queryFn: () => api.get<NotificationPreferences>('/me/notification-preferences') });
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);
  useEffect(() => {
    if (prefs.data) setDraft(prefs.data);
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: (body: NotificationPreferences) => api.put<NotificationPreferences>('/me/notification-preferences', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(PREFS_KEY, saved);
      void message.success(t('messages.prefsSaved'));
    },
  });
  if (!draft) return prefs.error ? <ErrorAlert error={prefs.error} /> : <Loading />;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
      data-testid="notification-preferences"
    >
      <fieldset className="plain-fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="field-label">{t('messages.channels')}</legend>
        <Space direction="vertical">
          <Checkbox checked={draft.sms} onChange={(e) => setDraft({ ...draft, sms: e.target.checked })}>
            {t('messages.sms')}
          </Checkbox>
          <Checkbox checked={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.checked })}>
            {t('messages.email')}
          </Checkbox>
          <Checkbox checked={draft.inApp} onChange={(e) => setDraft({ ...draft, inApp: e.target.checked })}>
            {t('messages.inApp')}
          </Checkbox>
        </Space>
      </fieldset>
      <fieldset style={{ border: 0, padding: 0, margin: '12px 0 0' }}>
        <legend className="field-label">{t('messages.locale')}</legend>
        <Radio.Group value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: e.target.value as NotificationPreferences['locale'] })}>
          <Radio value="vi">Tiếng Việt</Radio>
          <Radio value="en">English</Radio>
        </Radio.Group>
      </fieldset>
      <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
        {t('messages.prefsHelp')}
      </Typography.Paragraph>
      <ErrorAlert error={save.error} />
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('messages.savePrefs')}
      </Button>
    </form>
  );
}

/** The citizen's in-app messages (news of their dossiers) and how they want to be told. */
export function MessagesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('messages.title'));
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useQuery({
    queryKey: [...MESSAGES_KEY, page, unreadOnly],
    queryFn: () => api.get<InboxList>('/me/messages', { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, unread: unreadOnly ? 'true' : undefined }),
    placeholderData: keepPreviousData,
  });
  const markRead = useMutation({
    mutationFn: (id: string) => api.post<void>(`/me/messages/${encodeURIComponent(id)}/read`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MESSAGES_KEY }),
  });

  return (
    <>
      <PageTitle>{t('messages.title')}</PageTitle>
      <Card
        className="section-card"
        title={
          <h2 className="card-heading">
            {t('messages.inbox')} {list.data ? <Badge count={list.data.unread} title={t('messages.unreadN', { n: list.data.unread })} /> : null}
          </h2>
        }
        extra={
          <Checkbox checked={unreadOnly} onChange={(e) => (setUnreadOnly(e.target.checked), setPage(1))}>
            {t('messages.unreadOnly')}
          </Checkbox>
        }
      >
        <ErrorAlert error={list.error ?? markRead.error} />
        {list.isPending ? (
          <Loading />
        ) : list.data && list.data.items.length === 0 ? (
          <Empty description={t('messages.empty')} />
        ) : (
          <List<InboxMessage>
            data-testid="messages"
            dataSource={list.data?.items ?? []}
            pagination={
              (list.data?.total ?? 0) > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showSizeChanger: false } : false
            }
            renderItem={(m) => (
              <List.Item
                className={m.readAt ? 'message-read' : 'message-unread'}
                actions={[
                  m.dossierId ? (
                    <Link key="open" to={`/me/dossiers/${m.dossierId}`}>
                      {t('messages.openDossier')}
                    </Link>
                  ) : null,
                  !m.readAt ? (
                    <Button key="read" size="small" onClick={() => markRead.mutate(m.id)} loading={markRead.isPending && markRead.variables === m.id}>
                      {t('messages.markRead')}
                    </Button>
                  ) : null,
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <span style={{ fontWeight: m.readAt ? 400 : 700 }}>
                      {!m.readAt ? <span className="visually-hidden">{t('messages.unread')}: </span> : null}
                      {m.subject ?? t('messages.noSubject')}
                    </span>
                  }
                  description={<span className="muted">{formatDateTimeShort(m.createdAt)}</span>}
                />
                <div style={{ whiteSpace: 'pre-line' }}>{m.body}</div>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card className="section-card" title={<h2 className="card-heading">{t('messages.prefsTitle')}</h2>}>
        <PreferencesForm />
      </Card>
    </>
  );
}
