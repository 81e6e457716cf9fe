import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, safeJson, signInOfficial, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { seed: true });
});
afterAll(() => t.close());

const get = async (url: string) => {
  const res = await new Client(t.app).get(url);
  return { status: res.statusCode, body: safeJson(res.body) };
};
const dates = (body: { daysOff: { date: string }[] }) => body.daysOff.map((d) => d.date);

describe('public holidays API', () => {
  it('lists the statutory holidays of 2026 with Tết computed for Vietnam and compensatory days', async () => {
    const { status, body } = await get('/api/v1/calendar/holidays?year=2026');
    expect(status).toBe(200);
    expect(dates(body)).toEqual(expect.arrayContaining([
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', // Tết: 29 Tết (last day) + 1–4 Giêng
      '2026-04-26', '2026-04-27', // Hùng Kings' day is a Sunday → Monday off
      '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02',
    ]));
    const tet = body.daysOff.find((d: { date: string }) => d.date === '2026-02-17');
    expect(tet.name.vi).toMatch(/Tết/);
    expect(tet.name.en).toBeTruthy();
  });

  it('answers for past and future years (Tết 2020 on 25 January, 2035 on 8 February)', async () => {
    expect(dates((await get('/api/v1/calendar/holidays?year=2020')).body)).toEqual(expect.arrayContaining(['2020-01-24', '2020-01-25', '2020-01-28', '2020-04-02']));
    expect(dates((await get('/api/v1/calendar/holidays?year=2035')).body)).toContain('2035-02-08');
  });

  it('refuses a missing or absurd year with a field message', async () => {
    for (const q of ['', '?year=abc', '?year=99999']) {
      const { status, body } = await get(`/api/v1/calendar/holidays${q}`);
      expect(status).toBe(400);
      expect(body.error.fields[0].path).toBe('querystring.year');
    }
  });
});

describe('due dates', () => {
  it('counts working days over a weekend', async () => {
    // Thursday 10:00 (+07) + 3 working days → Tuesday 17:00 (+07) = 10:00Z
    const { body } = await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-11-26T10:00:00+07:00')}&workingDays=3`);
    expect(body.due).toBe('2026-12-01T10:00:00.000Z');
  });

  it('skips Tết 2026', async () => {
    // Friday 13 Feb 2026 + 2 working days: 16–20 Feb are Tết, so Mon 23, Tue 24 → due Tue 24 Feb 17:00 (+07)
    const { body } = await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-02-13T09:00:00+07:00')}&workingDays=2`);
    expect(body.due).toBe('2026-02-24T10:00:00.000Z');
  });

  it('counts working hours for same-day procedures, over the lunch break', async () => {
    const { body } = await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-11-26T10:30:00+07:00')}&workingHours=2`);
    expect(body.due).toBe('2026-11-26T07:30:00.000Z'); // 10:30–11:30 + 13:30–14:30 (+07)
  });

  it('tells working time left or overdue', async () => {
    const { body } = await get(`/api/v1/calendar/remaining?due=${encodeURIComponent('2026-11-27T17:00:00+07:00')}&at=${encodeURIComponent('2026-11-30T08:00:00+07:00')}`);
    expect(body).toMatchObject({ minutes: -60, overdue: true });
  });

  it('refuses bad input', async () => {
    expect((await get('/api/v1/calendar/due?from=yesterday&workingDays=3')).status).toBe(400);
    expect((await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-11-26T10:00:00Z')}`)).status).toBe(400);
    expect((await get(`/api/v1/calendar/due?from=${encodeURIComponent('2026-11-26T10:00:00Z')}&workingDays=-1`)).status).toBe(400);
  });
});

describe('official overrides', () => {
  it('a province admin adds a swapped Saturday and an extra day off; due dates follow; audited', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    // The notice: Monday 4 Jan 2027 off, worked back on Saturday 9 Jan 2027.
    const off = await admin.post('/api/v1/admin/calendar/overrides', { date: '2027-01-04', kind: 'day_off', nameVi: 'Nghỉ bù theo thông báo', nameEn: 'Day off by notice' });
    expect(off.statusCode).toBe(201);
    const sat = await admin.post('/api/v1/admin/calendar/overrides', { date: '2027-01-09', kind: 'working_day' });
    expect(sat.statusCode).toBe(201);
    const year = (await get('/api/v1/calendar/holidays?year=2027')).body;
    expect(dates(year)).toContain('2027-01-04');
    expect(year.workingDays.map((d: { date: string }) => d.date)).toEqual(['2027-01-09']);
    // Friday 8 Jan + 1 working day = Saturday 9 Jan (worked) 17:00
    const due = (await get(`/api/v1/calendar/due?from=${encodeURIComponent('2027-01-08T09:00:00+07:00')}&workingDays=1`)).body;
    expect(due.due).toBe('2027-01-09T10:00:00.000Z');
    const dup = await admin.post('/api/v1/admin/calendar/overrides', { date: '2027-01-04', kind: 'working_day' });
    expect(dup.statusCode).toBe(409);
    const nothing = await admin.post('/api/v1/admin/calendar/overrides', { date: '2027-03-10', kind: 'remove' });
    expect(nothing.statusCode).toBe(400);
    expect(safeJson(nothing.body).error.fields[0].path).toBe('body.kind');
    const actions = await t.db.selectFrom('auditLog').select('action').where('action', 'like', 'calendar.%').execute();
    expect(actions).toHaveLength(2);

    expect((await admin.req('DELETE', `/api/v1/admin/calendar/overrides/${safeJson(sat.body).id}`)).statusCode).toBe(204);
    const after = (await get(`/api/v1/calendar/due?from=${encodeURIComponent('2027-01-08T09:00:00+07:00')}&workingDays=1`)).body;
    expect(after.due).toBe('2027-01-11T10:00:00.000Z');
  });
});

describe('override names', () => {
  it('the public holidays of the year carry the names the notice gives', async () => {
    const admin = await signInOfficial(t.app, 'province_admin');
    const add = async (body: Record<string, string>) => {
      const res = await admin.post('/api/v1/admin/calendar/overrides', body);
      expect(res.statusCode, res.body).toBe(201);
      return safeJson(res.body);
    };
    // An extra day off with both names, a computed holiday renamed in Vietnamese only, a worked
    // Saturday with its name, and one left unnamed.
    expect((await add({ date: '2028-01-24', kind: 'day_off', nameVi: 'Nghỉ trước Tết theo thông báo', nameEn: 'Day off before Tết by notice' })).name)
      .toEqual({ vi: 'Nghỉ trước Tết theo thông báo', en: 'Day off before Tết by notice' });
    await add({ date: '2028-01-01', kind: 'day_off', nameVi: 'Tết Dương lịch 2028' });
    await add({ date: '2028-02-19', kind: 'working_day', nameVi: 'Làm bù ngày 24/01', nameEn: 'Worked for 24 January' });
    await add({ date: '2028-03-06', kind: 'day_off' });

    const { body } = await get('/api/v1/calendar/holidays?year=2028');
    const dayOff = (date: string) => body.daysOff.find((d: { date: string }) => d.date === date);
    expect(dayOff('2028-01-24')).toEqual({ date: '2028-01-24', kind: 'day_off', name: { vi: 'Nghỉ trước Tết theo thông báo', en: 'Day off before Tết by notice' } });
    // A renamed computed holiday stays a holiday; a name in one language serves both.
    expect(dayOff('2028-01-01')).toEqual({ date: '2028-01-01', kind: 'holiday', name: { vi: 'Tết Dương lịch 2028', en: 'Tết Dương lịch 2028' } });
    expect(body.workingDays).toEqual([{ date: '2028-02-19', name: { vi: 'Làm bù ngày 24/01', en: 'Worked for 24 January' } }]);
    // Without a name, the notice's generic one.
    expect(dayOff('2028-03-06').name).toEqual({ vi: 'Ngày nghỉ theo thông báo', en: 'Day off by official notice' });

    const listed = safeJson((await admin.get('/api/v1/admin/calendar/overrides?year=2028')).body).items;
    expect(listed.find((o: { date: string }) => o.date === '2028-02-19').name).toEqual({ vi: 'Làm bù ngày 24/01', en: 'Worked for 24 January' });
    expect(listed.find((o: { date: string }) => o.date === '2028-03-06').name).toBeUndefined();
  });
});
