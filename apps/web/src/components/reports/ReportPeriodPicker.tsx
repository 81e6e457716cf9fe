import { DatePicker, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Period } from '../../api/reports';
import { presetPeriod, type PresetKey } from '../PeriodPicker';

const ISO = 'YYYY-MM-DD';
/** The first year offered by name: statistics pages publish whole years, the demo history is 2019's. */
const FIRST_YEAR = 2015;

/** A preset of PeriodPicker, or a whole calendar year (`year:2019`). */
export type ReportPreset = PresetKey | `year:${number}`;

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
 * The reporting period of the statistics pages: the common presets, each past year by name (as
 * provinces publish yearly tables), or any range of days (at most five years, as the API allows).
 */
export function ReportPeriodPicker({
  preset,
  period,
  onChange,
}: {
  preset: ReportPreset;
  period: Period;
  onChange: (preset: ReportPreset, period: Period) => void;
}) {
  const { t } = useTranslation();
  const thisYear = dayjs().year();
  const years: ReportPreset[] = [];
  for (let y = thisYear - 2; y >= FIRST_YEAR; y--) years.push(`year:${y}`);
  const options: ReportPreset[] = ['thisYear', 'thisQuarter', 'thisMonth', 'last12Months', 'lastYear', ...years, 'custom'];
  const label = (p: ReportPreset) => (p.startsWith('year:') ? t('reports2.year', { year: p.slice(5) }) : t(`reports.presets.${p}`));
  return (
    <Space wrap align="end" className="period-picker">
      <div>
        <label htmlFor="period-preset" className="field-label">
          {t('reports.period')}
        </label>
        <Select<ReportPreset>
          id="period-preset"
          value={preset}
          virtual={false}
          style={{ minWidth: 200 }}
          options={options.map((p) => ({ value: p, label: label(p) }))}
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
              if (range?.[0] && range[1]) onChange('custom', { from: range[0].format(ISO), to: range[1].format(ISO) });
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
