import { useId } from 'react';

export type BarDatum = { label: string; value: number; /** Optional second series, drawn beside the first. */ value2?: number };

/**
 * A plain SVG bar chart. The SVG is a picture (role="img" with a title and a description that
 * states the figures); pages show the same figures in a table, the accessible alternative.
 */
export function BarChart({
  data,
  title,
  series,
  height = 220,
  format = (v: number) => String(v),
}: {
  data: BarDatum[];
  title: string;
  /** Names of the series (one or two), for the legend and the description. */
  series: [string] | [string, string];
  height?: number;
  format?: (v: number) => string;
}) {
  const id = useId();
  const two = series.length === 2;
  const max = Math.max(1, ...data.map((d) => Math.max(d.value, d.value2 ?? 0)));
  const slot = 48;
  const left = 8;
  const top = 16;
  const bottom = 56;
  const width = Math.max(320, left + data.length * slot + 8);
  const plot = height - top - bottom;
  const barW = two ? 16 : 28;
  const colours = ['#0b4f9c', '#1e6b34'];
  const description = data
    .map((d) => `${d.label}: ${series[0]} ${format(d.value)}${two ? `, ${series[1]} ${format(d.value2 ?? 0)}` : ''}`)
    .join('; ');

  return (
    // Focusable: on a narrow screen the chart scrolls sideways, and a keyboard must reach it to scroll it.
    <figure className="bar-chart" style={{ margin: 0, overflowX: 'auto' }} tabIndex={0} aria-label={title}>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={left} x2={width - 4} y1={top + plot} y2={top + plot} stroke="#595959" />
        {data.map((d, i) => {
          const x = left + i * slot + (slot - (two ? barW * 2 + 2 : barW)) / 2;
          const h1 = (d.value / max) * plot;
          const h2 = ((d.value2 ?? 0) / max) * plot;
          return (
            <g key={d.label}>
              <rect x={x} y={top + plot - h1} width={barW} height={h1} fill={colours[0]} />
              {two ? <rect x={x + barW + 2} y={top + plot - h2} width={barW} height={h2} fill={colours[1]} /> : null}
              <text x={left + i * slot + slot / 2} y={top + plot - Math.max(h1, h2) - 4} fontSize="10" textAnchor="middle" fill="#1f1f1f">
                {format(d.value)}
              </text>
              <text
                x={left + i * slot + slot / 2}
                y={top + plot + 12}
                fontSize="10"
                textAnchor="end"
                fill="#1f1f1f"
                transform={`rotate(-35 ${left + i * slot + slot / 2} ${top + plot + 12})`}
              >
                {d.label.length > 14 ? `${d.label.slice(0, 13)}…` : d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption aria-hidden className="muted" style={{ fontSize: 12 }}>
        {series.map((s, i) => (
          <span key={s} style={{ marginRight: 12 }}>
            <span style={{ display: 'inline-block', width: 10, height: 10, background: colours[i], marginRight: 4 }} />
            {s}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
