import { Timeline, Typography } from 'antd';
import type { DossierDetail } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { formatDateTimeShort } from '../lib/format';

type Entry = DossierDetail['timeline'][number];

function reasonsOf(e: Entry): string[] {
  const r = e.payload.reasons;
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

/** What happened to a dossier, oldest first: who did what and when, with reasons and comments. */
export function DossierTimeline({ dossier, showActors = true }: { dossier: DossierDetail; showActors?: boolean }) {
  const { t } = useTranslation();
  if (dossier.timeline.length === 0) return <Typography.Paragraph>{t('dossier.noTimeline')}</Typography.Paragraph>;
  return (
    <Timeline
      className="dossier-timeline"
      data-testid="dossier-timeline"
      items={dossier.timeline.map((e) => {
        const reasons = reasonsOf(e);
        const code = typeof e.payload.code === 'string' ? e.payload.code : null;
        const newDueAt = typeof e.payload.newDueAt === 'string' ? e.payload.newDueAt : null;
        const method = typeof e.payload.method === 'string' ? e.payload.method : null;
        const score = typeof e.payload.score === 'string' ? e.payload.score : null;
        return {
          key: e.seq,
          content: (
            <div className="timeline-entry">
              <div className="timeline-title">
                <strong>{t(`dossierAction.${e.type}`)}</strong>{' '}
                <time dateTime={e.at} className="timeline-time">
                  {formatDateTimeShort(e.at)}
                </time>
              </div>
              {showActors && e.actorName ? <div className="timeline-actor">{e.actorName}</div> : null}
              {code ? <div>{t('dossier.codeIssued', { code })}</div> : null}
              {newDueAt ? <div>{t('dossier.newDueAt', { date: formatDateTimeShort(newDueAt) })}</div> : null}
              {method ? <div>{t('dossier.returnedBy', { method: t(`delivery.${method}`) })}</div> : null}
              {score ? <div>{t(`rating.${score}`)}</div> : null}
              {reasons.length ? (
                <ul className="plain-list compact">
                  {reasons.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              ) : null}
              {e.comment && !(reasons.length === 1 && reasons[0] === e.comment) ? <div className="timeline-comment">“{e.comment}”</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
