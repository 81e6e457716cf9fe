import { Alert, Descriptions, Drawer, Timeline, Typography } from 'antd';
import type { MessageDetail } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../../api/notify';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Loading } from '../../../components/PageState';
import { formatDateTime } from '../../../lib/format';
import { MessageStatusTag, STATUS_COLOURS } from './MessageStatusTag';

const ALERT_TYPE: Record<string, 'success' | 'info' | 'warning' | 'error'> = {
  queued: 'info',
  sending: 'info',
  sent: 'success',
  delivered: 'success',
  temporary_failure: 'warning',
  permanent_failure: 'error',
  technical_failure: 'error',
};

/** What to tell the person asking, in plain words, from the message's status. */
function Answer({ m }: { m: MessageDetail }) {
  const { t } = useTranslation();
  const at = formatDateTime(m.status === 'queued' ? m.createdAt : m.status === 'sending' ? m.sentAt : (m.doneAt ?? m.sentAt));
  return (
    <Alert
      type={ALERT_TYPE[m.status] ?? 'info'}
      showIcon
      data-testid="message-answer"
      title={t(`notifyAdmin.answer.${m.status}.${m.channel === 'email' ? 'email' : m.channel === 'sms' ? 'sms' : 'in_app'}`, {
        at,
        defaultValue: t(`notifyAdmin.status.${m.status}`),
      })}
      description={m.error ? t('notifyAdmin.detail.errorWas', { error: m.error }) : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

function Detail({ m }: { m: MessageDetail }) {
  const { t } = useTranslation();
  const dash = '—';
  return (
    // Focusable, so that the keyboard can scroll the drawer's body too (WCAG 2.1.1).
    <div data-testid="message-detail" role="region" aria-label={t('notifyAdmin.detail.title')} tabIndex={0}>
      <Answer m={m} />
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'status', label: t('notifyAdmin.support.status'), children: <MessageStatusTag status={m.status} /> },
          {
            key: 'code',
            label: t('notifyAdmin.support.dossier'),
            children: m.dossierCode ? (
              <>
                {m.dossierCode}{' '}
                <Link to={{ search: `?${new URLSearchParams({ code: m.dossierCode }).toString()}` }}>
                  {t('notifyAdmin.detail.allOfDossier')}
                </Link>
              </>
            ) : (
              dash
            ),
          },
          {
            key: 'event',
            label: t('notifyAdmin.support.event'),
            children: t(`notifyAdmin.events.${m.event}`, { defaultValue: m.event }),
          },
          { key: 'channel', label: t('notifyAdmin.support.channel'), children: t(`notifyAdmin.channel.${m.channel}`) },
          {
            key: 'recipient',
            label: t('notifyAdmin.support.recipientShort'),
            children: m.recipient ?? (m.recipientUserId ? t('notifyAdmin.support.inAppRecipient') : dash),
          },
          { key: 'provider', label: t('notifyAdmin.detail.provider'), children: m.provider ?? dash },
          { key: 'attempts', label: t('notifyAdmin.detail.attempts'), children: m.attempts },
          ...(m.channel === 'sms' ? [{ key: 'parts', label: t('notifyAdmin.detail.smsParts'), children: m.smsParts ?? dash }] : []),
          { key: 'created', label: t('notifyAdmin.detail.createdAt'), children: formatDateTime(m.createdAt) },
          { key: 'sent', label: t('notifyAdmin.detail.sentAt'), children: formatDateTime(m.sentAt) || dash },
          { key: 'done', label: t('notifyAdmin.detail.doneAt'), children: formatDateTime(m.doneAt) || dash },
        ]}
      />
      <h2 className="sub-heading" style={{ fontSize: 17 }}>
        {t('notifyAdmin.detail.content')}
      </h2>
      {m.subject ? (
        <p className="text-line">
          <strong>{t('notifyAdmin.fields.subject')}:</strong> {m.subject}
        </p>
      ) : null}
      <div
        data-testid="message-body"
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', border: '1px solid #d9d9d9', borderRadius: 8, padding: 12, background: '#fafafa' }}
      >
        {m.body}
      </div>
      <h2 className="sub-heading" style={{ fontSize: 17 }}>
        {t('notifyAdmin.detail.history')}
      </h2>
      {m.events.length === 0 ? (
        <Typography.Paragraph>{t('notifyAdmin.detail.noEvents')}</Typography.Paragraph>
      ) : (
        <Timeline
          data-testid="message-timeline"
          items={m.events.map((e, i) => ({
            key: i,
            color: STATUS_COLOURS[e.status] ?? '#595959',
            content: (
              <div className="timeline-entry">
                <div className="timeline-title">
                  <strong>{t(`notifyAdmin.status.${e.status}`, { defaultValue: e.status })}</strong>{' '}
                  <time dateTime={e.at} className="timeline-time">
                    {formatDateTime(e.at)}
                  </time>
                </div>
                <div className="muted">{t(`notifyAdmin.statusHelp.${e.status}`, { defaultValue: '' })}</div>
                {e.detail ? (
                  <div>
                    <code style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{e.detail}</code>
                  </div>
                ) : null}
              </div>
            ),
          }))}
        />
      )}
    </div>
  );
}

/** One message with every attempt, hand-over, receipt and failure, oldest first. */
export function MessageDetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const message = useMessage(id);
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      placement="right"
      size="min(720px, 100vw)"
      title={t('notifyAdmin.detail.title')}
      destroyOnHidden
    >
      <ErrorAlert error={message.error} />
      {message.data ? <Detail m={message.data} /> : message.isLoading ? <Loading /> : null}
    </Drawer>
  );
}
