import { DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Period } from '../api/reports';

const ISO = 'YYYY-MM-DD';
export type PresetKey = 'thisYear' | 'lastYear' | 'thisQuarter' | 'thisMonth' | 'last12Months' | 'custom';
/** The first year offered by name: statistics pages publish whole years, the demo history is 2019's. */
const FIRST_YEAR = 2015;

/** A preset, or a whole calendar year (`year:2019`; offered with `namedYears`). */
export type ReportPreset = PresetKey | `year:${number}`;

export function presetPeriod(key: Exclude<PresetKey, 'custom'>, now: Dayjs = dayjs()): Period {
  const today = now.format(ISO);
  switch (key) {
    case 'thisYear':
      return { from: now.startOf('year').format(ISO), to: today };
    case 'lastYear': {
      const y = now.subtract(1, 'year');
      return { from: y.startOf('year').format(ISO), to: y.endOf('year').format(ISO) };
    }
    case 'thisQuarter': {
      const q = Math.floor(now.month() / 3) * 3;
      return { from: now.month(q).startOf('month').format(ISO), to: today };
    }
    case 'thisMonth':
      return { from: now.startOf('month').format(ISO), to: today };
    case 'last12Months':
      return { from: now.subtract(11, 'month').startOf('month').format(ISO), to: today };
  }
}

/** The period a preset stands for (`custom` keeps the current one). */
export function reportPeriod(preset: ReportPreset, current: Period): Period {
  if (preset === 'custom') return current;
  if (preset.startsWith('year:')) {
    const y = preset.slice(5);
    return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
  return presetPeriod(preset as Exclude<PresetKey, 'custom'>);
}

/**
 * A reporting period: the common presets, with `namedYears` each past year by name (as
 * provinces publish yearly tables), or any range of days (at most five years, as the API allows).
 */
export function PeriodPicker<P extends ReportPreset = PresetKey>({
  preset,
  period,
  onChange,
  namedYears = false,
}: {
  preset: P;
  period: Period;
  onChange: (preset: P, period: Period) => void;
  namedYears?: boolean;
}) {
  const { t } = useTranslation();
  const years: ReportPreset[] = [];
  if (namedYears) for (let y = dayjs().year() - 2; y >= FIRST_YEAR; y--) years.push(`year:${y}`);
  const presets = [...(namedYears
    ? ['thisYear', 'thisQuarter', 'thisMonth', 'last12Months', 'lastYear', ...years]
    : ['thisYear', 'lastYear', 'thisQuarter', 'thisMonth', 'last12Months']), 'custom'] as P[];
  const label = (p: string): string => (p.startsWith('year:') ? t('reports2.year', { year: p.slice(5) }) : t(`reports.presets.${p}`));
  return (
    <Space wrap align="end" className="period-picker">
      <div>
        <label htmlFor="period-preset" className="field-label">
          {t('reports.period')}
        </label>
        <Select<P>
          id="period-preset"
          value={preset}
          style={{ minWidth: 200 }}
          virtual={false}
          options={presets.map((p) => ({ value: p, label: label(p) }))}
          onChange={(p) => onChange(p, reportPeriod(p, period))}
        />
      </div>
      {preset === 'custom' ? (
        <div>
          <label htmlFor="period-range" className="field-label">
            {t('reports.customRange')}
          </label>
          <DatePicker.RangePicker
            id={{ start: 'period-range', end: 'period-range-end' }}
            format="DD/MM/YYYY"
            allowClear={false}
            value={[dayjs(period.from), dayjs(period.to)]}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(range) => {
              if (range?.[0] && range[1]) onChange('custom' as P, { from: range[0].format(ISO), to: range[1].format(ISO) });
            }}
          />
        </div>
      ) : null}
      <span className="muted" data-testid="period-shown">
        {t('reports.periodShown', { from: dayjs(period.from).format('DD/MM/YYYY'), to: dayjs(period.to).format('DD/MM/YYYY') })}
      </span>
    </Space>
  );
}
