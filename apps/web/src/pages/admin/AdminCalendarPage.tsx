import { useMemo } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { holidaysKey, overridesKey, useHolidays, useOverrides, type CalendarOverride, type YearDays } from '../../api/calendar';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDate } from '../../lib/format';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';

type DayKind = 'holiday' | 'compensatory' | 'day_off' | 'working_day';
type DayInfo = { kind: DayKind; name: string; override: boolean };

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Monday-first weeks of one month; null fills the days of other months. */
function weeksOf(year: number, month: number): (number | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Sunday
  const offset = (first + 6) % 7;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: (number | null)[] = [...Array<null>(offset).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

function Month({ year, month, days, lng }: { year: number; month: number; days: Map<string, DayInfo>; lng: string }) {
  const { t } = useTranslation();
  const title = dayjs(iso(year, month, 1)).locale(lng === 'en' ? 'en' : 'vi').format('MMMM YYYY');
  const weekdays = t('calendar.weekdaysShort').split(',');
  const weekdaysLong = t('calendar.weekdaysLong').split(',');
  const notes = [...days.entries()].filter(([d]) => d.startsWith(`${year}-${pad(month)}-`)).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="month">
      <table className="month-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            {weekdays.map((w, i) => (
              <th key={w} scope="col" abbr={weekdaysLong[i]}>
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(year, month).map((week, wi) => (
            <tr key={wi}>
              {week.map((d, i) => {
                if (d === null) return <td key={i} />;
                const info = days.get(iso(year, month, d));
                const weekend = i >= 5;
                const cls = info ? `day day-${info.kind}${info.override ? ' day-override' : ''}` : weekend ? 'day day-weekend' : 'day';
                return (
                  <td key={i} className={cls} title={info?.name}>
                    {d}
                    {info ? <span className="visually-hidden"> ({t(`calendar.kind.${info.kind}`)}: {info.name})</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {notes.length ? (
        <ul className="month-notes">
          {notes.map(([date, info]) => (
            <li key={date}>
              <span className={`dot dot-${info.kind}`} aria-hidden /> {formatDate(date).slice(0, 5)} — {info.name}
              {info.override ? ` (${t('calendar.override')})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type OverrideForm = { date: Dayjs; kind: CalendarOverride['kind']; nameVi?: string; nameEn?: string; note?: string };

function AddOverride({ year }: { year: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<OverrideForm>();
  const add = useMutation({
    mutationFn: (v: OverrideForm) =>
      api.post<CalendarOverride>('/admin/calendar/overrides', {
        date: v.date.format('YYYY-MM-DD'),
        kind: v.kind,
        nameVi: v.nameVi?.trim() || undefined,
        nameEn: v.nameEn?.trim() || undefined,
        note: v.note?.trim() || undefined,
      }),
    onSuccess: (o) => {
      const y = Number(o.date.slice(0, 4));
      void queryClient.invalidateQueries({ queryKey: holidaysKey(y) });
      void queryClient.invalidateQueries({ queryKey: overridesKey(y) });
      void message.success(t('calendar.added', { date: formatDate(o.date) }));
      form.resetFields();
    },
  });
  const otherErrors = useServerFieldErrors(form, add.error, ['date', 'kind', 'nameVi', 'nameEn', 'note']);
  return (
    <Card title={<h2 className="card-heading">{t('calendar.addTitle')}</h2>} className="section-card">
      <ErrorAlert error={add.error} extra={otherErrors} />
      <Form<OverrideForm> form={form} layout="vertical" noValidate initialValues={{ kind: 'day_off' }} onFinish={(v) => add.mutate(v)}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} defaultPickerValue={dayjs(`${year}-01-01`)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="kind" label={t('calendar.kindLabel')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select
                options={(['day_off', 'working_day', 'remove'] as const).map((k) => ({ value: k, label: t(`calendar.overrideKind.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameVi" label={t('calendar.nameVi')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameEn" label={t('calendar.nameEn')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="note" label={t('calendar.note')} extra={t('calendar.noteHint')}>
              <Input maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" icon={<PlusOutlined aria-hidden />} loading={add.isPending}>
          {t('calendar.add')}
        </Button>
      </Form>
    </Card>
  );
}

function OverridesTable({ year, items }: { year: number; items: CalendarOverride[] }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (o: CalendarOverride) => api.delete<void>(`/admin/calendar/overrides/${o.id}`),
    onSuccess: (_, o) => {
      void queryClient.invalidateQueries({ queryKey: holidaysKey(year) });
      void queryClient.invalidateQueries({ queryKey: overridesKey(year) });
      void message.success(t('calendar.removed', { date: formatDate(o.date) }));
    },
  });
  const columns: TableColumnsType<CalendarOverride> = [
    { title: t('calendar.date'), key: 'date', width: 130, render: (_, o) => formatDate(o.date) },
    { title: t('calendar.kindLabel'), key: 'kind', width: 220, render: (_, o) => <Tag>{t(`calendar.overrideKind.${o.kind}`)}</Tag> },
    { title: t('calendar.name'), key: 'name', render: (_, o) => (o.name ? (i18n.language === 'en' ? o.name.en : o.name.vi) : '—') },
    { title: t('calendar.note'), key: 'note', render: (_, o) => o.note ?? '—' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, o) => (
        <Popconfirm title={t('calendar.removeConfirm', { date: formatDate(o.date) })} okText={t('common.yes')} cancelText={t('common.no')} onConfirm={() => remove.mutate(o)}>
          <Button size="small" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('calendar.removeAria', { date: formatDate(o.date) })}>
            {t('calendar.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];
  return (
    <>
      <ErrorAlert error={remove.error} />
      <ScrollRegion label={t('calendar.overridesTitle')} minWidth={700}>
        <Table<CalendarOverride> rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} locale={{ emptyText: t('calendar.noOverrides') }} data-testid="overrides-table" />
      </ScrollRegion>
    </>
  );
}

/** Each notable date of the year; an override's own name wins (the public list gives a generic one). */
function dayMap(data: YearDays | undefined, overrides: CalendarOverride[], lng: string): Map<string, DayInfo> {
  const map = new Map<string, DayInfo>();
  const byDate = new Map(overrides.map((o) => [o.date, o]));
  const nameOf = (date: string, fallback: { vi: string; en: string }) => {
    const own = byDate.get(date)?.name ?? fallback;
    return lng === 'en' ? own.en : own.vi;
  };
  for (const d of data?.daysOff ?? []) map.set(d.date, { kind: d.kind, name: nameOf(d.date, d.name), override: byDate.has(d.date) });
  for (const d of data?.workingDays ?? []) map.set(d.date, { kind: 'working_day', name: nameOf(d.date, d.name), override: byDate.has(d.date) });
  return map;
}

export function AdminCalendarPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const year = Math.min(2199, Math.max(1900, Number(params.get('year')) || new Date().getFullYear()));
  useDocumentTitle(t('calendar.title'));
  const holidays = useHolidays(year, true);
  const overrides = useOverrides(year);
  const days = useMemo(() => dayMap(holidays.data, overrides.data?.items ?? [], i18n.language), [holidays.data, overrides.data, i18n.language]);
  const setYear = (y: number) => setParams(y === new Date().getFullYear() ? {} : { year: String(y) });

  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Button icon={<LeftOutlined aria-hidden />} onClick={() => setYear(year - 1)} aria-label={t('calendar.prevYear', { year: year - 1 })} />
            <span className="year-label" aria-live="polite">
              {year}
            </span>
            <Button icon={<RightOutlined aria-hidden />} onClick={() => setYear(year + 1)} aria-label={t('calendar.nextYear', { year: year + 1 })} />
          </Space>
        }
      >
        {t('calendar.titleYear', { year })}
      </PageTitle>
      <Typography.Paragraph>{t('calendar.intro')}</Typography.Paragraph>
      <ul className="calendar-legend" aria-label={t('calendar.legend')}>
        {(['holiday', 'compensatory', 'day_off', 'working_day'] as const).map((k) => (
          <li key={k}>
            <span className={`dot dot-${k}`} aria-hidden /> {t(`calendar.kind.${k}`)}
          </li>
        ))}
        <li>
          <span className="dot dot-override" aria-hidden /> {t('calendar.override')}
        </li>
      </ul>
      <ErrorAlert error={holidays.error ?? overrides.error} />
      {holidays.isPending ? <Loading /> : null}
      {holidays.data ? (
        <div className="year-grid" data-testid="year-grid">
          {Array.from({ length: 12 }, (_, i) => (
            <Month key={i} year={year} month={i + 1} days={days} lng={i18n.language} />
          ))}
        </div>
      ) : null}
      <Row gutter={[24, 24]} style={{ marginTop: 24 }}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-heading">{t('calendar.overridesTitle')}</h2>} className="section-card">
            <OverridesTable year={year} items={overrides.data?.items ?? []} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <AddOverride year={year} />
        </Col>
      </Row>
    </>
  );
}
