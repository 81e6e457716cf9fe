import { useState } from 'react';
import { Button, Table, Typography } from 'antd';
import type { IndexComponent, QualityIndex } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { percent, type Period } from '../../api/reports';
import { localise } from '../../lib/server-errors';
import { BarChart } from '../BarChart';
import { ScrollRegion } from '../ScrollRegion';
import { DrillPanel } from './DrillPanel';

/**
 * Decision 766's index of a scope and period: each component's rate, threshold and points, why
 * the ones without points have none, and (for officials) what lowered it: the procedures, and the
 * dossiers, listed below the table on request.
 */
export function IndexPanel({ index, agency, period }: { index: QualityIndex; agency: string; period: Period }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<IndexComponent | null>(null);
  const name = (n: { vi: string; en: string }) => localise(n, i18n.language);
  const total = index.total;
  return (
    <>
      <Typography.Paragraph className="muted">{t('reports2.indexIntro')}</Typography.Paragraph>
      <Typography.Paragraph strong data-testid="index-total">
        {t('reports2.indexTotal', {
          points: total.points.toFixed(2),
          max: total.computedMaxPoints,
          percent: total.percent === null ? '—' : `${total.percent.toFixed(1)}%`,
        })}
      </Typography.Paragraph>
      <BarChart
        title={t('reports.indexChart')}
        series={[t('reports.points')]}
        data={index.groups.map((g) => ({ label: name(g.name), value: Number(g.points.toFixed(1)) }))}
      />
      <ScrollRegion label={t('reports.indexTitle')} minWidth={880}>
        <Table<IndexComponent>
          size="small"
          rowKey="code"
          data-testid="index-components"
          pagination={false}
          dataSource={index.components}
          columns={[
            {
              title: t('reports.component'),
              key: 'name',
              render: (_: unknown, c) => (
                <>
                  <strong>{c.code}.</strong> {name(c.name)}
                  {c.note && c.source === 'computed' ? <div className="muted" style={{ fontSize: 12 }}>{name(c.note)}</div> : null}
                </>
              ),
            },
            {
              title: t('reports.rate'),
              key: 'rate',
              align: 'right',
              render: (_: unknown, c) => (
                <>
                  {percent(c.rate, i18n.language)}
                  {c.numerator !== null && c.denominator ? (
                    <div className="muted" style={{ fontSize: 12 }}>
                      {c.numerator} / {c.denominator}
                    </div>
                  ) : null}
                </>
              ),
            },
            {
              title: t('reports2.threshold'),
              key: 'threshold',
              align: 'right',
              render: (_: unknown, c) => (c.source === 'computed' ? percent(c.threshold, i18n.language).replace(/[.,]0%$/, '%') : '—'),
            },
            {
              title: t('reports.points'),
              key: 'points',
              align: 'right',
              render: (_: unknown, c) => <span data-testid={`index-points-${c.code}`}>{c.points === null ? '—' : `${c.points.toFixed(2)} / ${c.maxPoints}`}</span>,
            },
            {
              title: t('reports.source'),
              key: 'source',
              render: (_: unknown, c) => (
                <>
                  {t(`reports.sources.${c.source}`)}
                  {c.reason ? <div className="muted" style={{ fontSize: 12 }}>{name(c.reason)}</div> : null}
                </>
              ),
            },
            {
              title: t('reports.lowering'),
              key: 'lowering',
              render: (_: unknown, c) => {
                const l = c.lowering;
                if (!l) return '—';
                return (
                  <>
                    {l.metric && l.count > 0 ? (
                      <Button type="link" size="small" style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }} onClick={() => setOpen(c)}>
                        {t('reports2.loweringDossiers', { n: l.count })}
                      </Button>
                    ) : null}
                    {l.procedures && l.procedures.length > 0 ? (
                      <details>
                        <summary>{t('reports2.loweringProcedures', { n: l.procedures.length })}</summary>
                        <ul style={{ margin: 0, paddingLeft: 18 }}>
                          {l.procedures.map((p) => (
                            <li key={p.id}>
                              {p.code ? `${p.code} — ` : ''}
                              {p.name}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                    {!(l.metric && l.count > 0) && !(l.procedures && l.procedures.length > 0) ? '—' : null}
                  </>
                );
              },
            },
          ]}
        />
      </ScrollRegion>
      {open?.lowering?.metric ? (
        <DrillPanel
          key={open.code}
          agency={agency}
          period={period}
          metric={open.lowering.metric}
          testId="index-drill"
          title={(n) => t('reports2.indexDrillTitle', { code: open.code, n })}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}
