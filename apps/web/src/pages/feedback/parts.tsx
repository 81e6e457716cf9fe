import { Descriptions, Tag, Timeline, Typography } from 'antd';
import type { FeedbackDetail, FeedbackKind, FeedbackStatus } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTimeShort } from '../../lib/format';

/** Solid colours with white text: every pair passes WCAG AA contrast. */
const STATUS_COLOURS: Record<FeedbackStatus, string> = {
  received: '#3f3f99',
  accepted: '#0b4f9c',
  info_requested: '#8a5300',
  rejected: '#8c1d18',
  answered: '#1e6b34',
  published: '#135200',
};

export function FeedbackStatusTag({ status }: { status: FeedbackStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid="feedback-status" data-status={status}>
      {t(`feedback.status.${status}`)}
    </Tag>
  );
}

export function FeedbackKindTag({ kind }: { kind: FeedbackKind }) {
  const { t } = useTranslation();
  return <Tag color={kind === 'complaint' ? '#5b2c83' : '#595959'}>{t(`feedback.kind.${kind}`)}</Tag>;
}

/** Overdue, due within a working day, or late by the 766 rules. */
export function FeedbackUrgencyTag({ overdue, dueSoon, late }: { overdue: boolean; dueSoon?: boolean; late?: boolean }) {
  const { t } = useTranslation();
  if (overdue) return <Tag color="#8c1d18">{t('feedback.overdue')}</Tag>;
  if (dueSoon) return <Tag color="#8a5300">{t('feedback.dueSoon')}</Tag>;
  if (late) return <Tag color="#8c1d18">{t('feedback.timeliness.late')}</Tag>;
  return null;
}

export function agencyLabel(a: { name: string; nameEn: string | null }, lng: string): string {
  return lng === 'en' && a.nameEn ? a.nameEn : a.name;
}

/** What happened to an item, oldest first, with the question, information, reason or answer. */
export function FeedbackEvents({ d }: { d: FeedbackDetail }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="feedback-timeline"
      items={d.events.map((e) => ({
        key: e.seq,
        content: (
          <div className="timeline-entry">
            <div className="timeline-title">
              <strong>{t(`feedback.event.${e.type}`)}</strong>{' '}
              <time dateTime={e.at} className="timeline-time">
                {formatDateTimeShort(e.at)}
              </time>
            </div>
            {e.actorName ? <div className="timeline-actor">{e.actorName}</div> : null}
            {e.text ? <div className="timeline-comment" style={{ whiteSpace: 'pre-wrap' }}>{e.text}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/** The statutory deadlines of an item and where it stands against them. */
export function FeedbackDeadlines({ d }: { d: FeedbackDetail }) {
  const { t } = useTranslation();
  const open = d.status !== 'rejected' && d.status !== 'published';
  return (
    <>
      <Descriptions column={1} size="small" styles={{ label: { width: '50%' } }}>
        <Descriptions.Item label={t('feedback.receivedAt')}>{formatDateTimeShort(d.receivedAt)}</Descriptions.Item>
        {d.status === 'received' || d.status === 'accepted' ? (
          <Descriptions.Item label={t('feedback.rejectDueAt')}>{formatDateTimeShort(d.rejectDueAt)}</Descriptions.Item>
        ) : null}
        {d.status === 'received' || d.status === 'accepted' ? (
          <Descriptions.Item label={t('feedback.infoDueAt')}>{formatDateTimeShort(d.infoDueAt)}</Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('feedback.answerDueAt')}>
          <span data-testid="feedback-answer-due">{formatDateTimeShort(d.answerDueAt)}</span>
        </Descriptions.Item>
        {d.answeredAt ? <Descriptions.Item label={t('feedback.answeredAt')}>{formatDateTimeShort(d.answeredAt)}</Descriptions.Item> : null}
        {d.publishDueAt && !d.publishedAt ? <Descriptions.Item label={t('feedback.publishDueAt')}>{formatDateTimeShort(d.publishDueAt)}</Descriptions.Item> : null}
        {d.publishedAt ? <Descriptions.Item label={t('feedback.publishedAt')}>{formatDateTimeShort(d.publishedAt)}</Descriptions.Item> : null}
      </Descriptions>
      {open ? <FeedbackUrgencyTag overdue={d.overdue} late={d.timeliness === 'late'} /> : d.timeliness ? (
        <Tag color={d.timeliness === 'late' ? '#8c1d18' : '#0b4f9c'}>{t(`feedback.timeliness.${d.timeliness}`)}</Tag>
      ) : null}
      {d.pausedSince ? <Typography.Paragraph className="muted">{t('feedback.paused', { date: formatDateTimeShort(d.pausedSince) })}</Typography.Paragraph> : null}
      <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
        {t('feedback.deadlinesNote')}
      </Typography.Paragraph>
    </>
  );
}

/** A block of text written by someone: kept as typed (line breaks), never wider than the screen. */
export function UserText({ children, testId }: { children: string; testId?: string }) {
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid={testId}>
      {children}
    </Typography.Paragraph>
  );
}
