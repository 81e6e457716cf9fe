import { DatePicker, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Period } from '../api/reports';

const ISO = 'YYYY-MM-DD';
export type PresetKey = 'thisYear' | 'lastYear' | 'thisQuarter' | 'thisMonth' | 'last12Months' | 'custom';

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

/** A reporting period: common presets, or any range of days (at most five years, as the API allows). */
export function PeriodPicker({
  preset,
  period,
  onChange,
}: {
  preset: PresetKey;
  period: Period;
  onChange: (preset: PresetKey, period: Period) => void;
}) {
  const { t } = useTranslation();
  const presets: PresetKey[] = ['thisYear', 'lastYear', 'thisQuarter', 'thisMonth', 'last12Months', 'custom'];
  return (
    <Space wrap align="end" className="period-picker">
      <div>
        <label htmlFor="period-preset" className="field-label">
          {t('reports.period')}
        </label>
        <Select<PresetKey>
          id="period-preset"
          value={preset}
          style={{ minWidth: 200 }}
          options={presets.map((p) => ({ value: p, label: t(`reports.presets.${p}`) }))}
          onChange={(p) => onChange(p, p === 'custom' ? period : presetPeriod(p))}
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
