import type { DrillMetric, ReportFigures } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { count } from '../../api/reports';
import { PRIMARY } from '../../lib/theme';

/** The figures officials can open, in the order of the provincial table. */
export const FIGURE_METRICS = [
  'toProcess', 'carriedOver', 'received', 'receivedOnline', 'resolved', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate',
  'inProgress', 'inProgressOverdue', 'waitingSupplement', 'withdrawn',
] as const satisfies readonly (DrillMetric & keyof ReportFigures)[];

/**
 * The period's figures as buttons: each opens the list of the dossiers behind it (the drill-down
 * the issue asks of every number, for officials). `selected` is the figure whose list is open.
 */
export function FigureTiles({
  figures,
  selected,
  onPick,
}: {
  figures: ReportFigures;
  selected: DrillMetric | null;
  onPick: (metric: DrillMetric) => void;
}) {
  const { t } = useTranslation();
  return (
    <ul
      aria-label={t('reports2.figuresTitle')}
      data-testid="report-figures"
      style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))' }}
    >
      {FIGURE_METRICS.map((m) => {
        const on = selected === m;
        const value = figures[m];
        return (
          <li key={m}>
            <button
              type="button"
              data-testid={`figure-${m}`}
              aria-pressed={on}
              onClick={() => onPick(m)}
              style={{
                width: '100%',
                height: '100%',
                textAlign: 'left',
                background: on ? '#e6f0fa' : '#fff',
                border: `${on ? 2 : 1}px solid ${on ? PRIMARY : '#d9d9d9'}`,
                borderRadius: 8,
                padding: on ? '9px 11px' : '10px 12px',
                font: 'inherit',
                cursor: 'pointer',
                color: 'rgb(0 0 0 / 88%)',
              }}
            >
              <span style={{ display: 'block', fontSize: 24, fontWeight: 600, color: PRIMARY }} data-testid={`figure-${m}-value`}>
                {count(value)}
              </span>
              <span style={{ display: 'block', fontSize: 13 }}>{t(`reports.metrics.${m}`)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
