import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { toMsisdn } from '../../adapters/sms/index.ts';
import { QUEUES, type Jobs } from '../../jobs/boss.ts';
import { agencyChain } from '../agencies/index.ts';
import type { ActionEvent } from '../dossier/index.ts';
import { eventChannels, type Channel, type EventName, type Locale } from './events.ts';
import { loadTemplatesOf, pickTemplate, render, templatesByEvent, type TemplateRow, type TemplateText } from './templates.ts';

export interface NotifyDeps {
  config: Config;
  jobs: Jobs;
}

/** Someone to tell, with the channels they accept. */
export interface Recipient {
  userId: string | null;
  phone: string | null;
  email: string | null;
  locale: Locale;
  channels: readonly Channel[];
}

export interface Emission {
  event: EventName;
  /** What caused it, unique per cause (e.g. `dossier:<id>:<seq>`): the same cause never makes a second message. */
  cause: string;
  dossierId?: string | null;
  /** Whose support staff may read the messages. */
  agencyId?: string | null;
  vars: Record<string, string | undefined>;
  /** Values that differ by language (e.g. how to collect the result), over `vars`. */
  localVars?: Partial<Record<Locale, Record<string, string | undefined>>>;
  recipients: Recipient[];
}

/** dd/mm/yyyy HH:mm in the province's time. */
export function formatLocalTime(d: Date | null | undefined, utcOffset: string): string {
  if (!d) return '';
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const t = new Date(d.getTime() + minutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}

/** 1.250.000 ₫ */
export const formatMoney = (amount: number) => `${Math.round(amount).toLocaleString('de-DE')} ₫`;

type OutboxRow = {
  id: string; event: string; channel: Channel; dedupeKey: string; dossierId: string | null; agencyId: string | null;
  recipientUserId: string | null; recipient: string | null; locale: Locale; subject: string | null; body: string;
  status: 'queued' | 'delivered'; concatRef: number; doneAt: Date | null;
};

/** The outbox rows of one emission: one per recipient and channel the event offers and the recipient accepts. */
function outboxRows(e: Emission, templates: Map<string, TemplateText>): OutboxRow[] {
  const offered = eventChannels(e.event);
  const rows: OutboxRow[] = [];
  for (const r of e.recipients) {
    for (const channel of r.channels) {
      if (!offered.includes(channel)) continue;
      const address = channel === 'sms' ? (r.phone ? toMsisdn(r.phone) : null) : channel === 'email' ? r.email?.toLowerCase() ?? null : null;
      if (channel !== 'in_app' && !address) continue;
      if (channel === 'in_app' && !r.userId) continue;
      const t = pickTemplate(templates, e.event, channel, r.locale);
      if (!t) continue;
      const vars = { ...e.vars, ...e.localVars?.[r.locale] };
      rows.push({
        id: randomUUID(),
        event: e.event,
        channel,
        dedupeKey: `${e.cause}:${channel}:${address ?? r.userId}`,
        dossierId: e.dossierId ?? null,
        agencyId: e.agencyId ?? null,
        recipientUserId: r.userId,
        recipient: address,
        locale: r.locale,
        subject: t.subject === null ? null : render(t.subject, vars).slice(0, 300),
        body: render(t.body, vars).slice(0, 5000) || '-',
        status: channel === 'in_app' ? 'delivered' : 'queued',
        concatRef: randomInt(256),
        doneAt: channel === 'in_app' ? new Date() : null,
      });
    }
  }
  return rows;
}

/**
 * Writes the messages events cause into the outbox, inside the caller's transaction: one row
 * per recipient and channel (in-app rows are delivered at once), and one pg-boss job per SMS or
 * email, so the messages exist exactly when the change does. Two statements however many
 * messages: the rows with their first status event, then the jobs of the rows written. Returns
 * how many were written (a repeated cause writes none). `templates` (by event) saves reading them.
 */
export async function emitAll(tx: Tx, deps: NotifyDeps, emissions: Emission[], templates?: Map<EventName, Map<string, TemplateText>>): Promise<number> {
  const events = [...new Set(emissions.map((e) => e.event))];
  const known = templates ?? (events.length ? await loadTemplatesOf(tx, events) : new Map<EventName, Map<string, TemplateText>>());
  const rows = emissions.flatMap((e) => outboxRows(e, known.get(e.event) ?? new Map()));
  if (rows.length === 0) return 0;
  // The rows travel as one JSON parameter (one short statement to build, however many messages).
  const json = JSON.stringify(rows.map((r) => ({
    id: r.id, event: r.event, channel: r.channel, dedupe_key: r.dedupeKey, dossier_id: r.dossierId, agency_id: r.agencyId, recipient_user_id: r.recipientUserId,
    recipient: r.recipient, locale: r.locale, subject: r.subject, body: r.body, status: r.status, concat_ref: r.concatRef, done_at: r.doneAt?.toISOString() ?? null,
  })));
  const { rows: inserted } = await sql<{ id: string; channel: Channel }>`
    WITH m AS (
      INSERT INTO notify_messages (id, event, channel, dedupe_key, dossier_id, agency_id, recipient_user_id, recipient, locale, subject, body, status, concat_ref, done_at)
      SELECT * FROM json_to_recordset(${json}::json) AS x(id uuid, event text, channel text, dedupe_key text, dossier_id uuid, agency_id uuid,
        recipient_user_id uuid, recipient text, locale text, subject text, body text, status text, concat_ref int, done_at timestamptz)
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, channel, status),
    e AS (INSERT INTO notify_message_events (message_id, status, detail)
      SELECT id, status, CASE WHEN channel = 'in_app' THEN 'in-app inbox' ELSE 'written to the outbox' END FROM m)
    SELECT id, channel FROM m`.execute(tx);
  const queued = inserted.filter((m) => m.channel !== 'in_app');
  await deps.jobs.enqueueAll(tx, queued.map((m) => ({ queue: m.channel === 'sms' ? QUEUES.sms : QUEUES.email, id: m.id, data: { messageId: m.id } })));
  return inserted.length;
}

/** `emitAll` for one event. */
export async function emit(tx: Tx, deps: NotifyDeps, e: Emission): Promise<number> {
  return emitAll(tx, deps, [e]);
}

type Prefs = { sms: boolean | null; email: boolean | null; inApp: boolean | null; locale: Locale | null };

/** A citizen with the channels they chose (`prefs`), or every channel in Vietnamese when never chosen. */
function recipientWith(who: { userId: string | null; phone: string | null; email: string | null }, prefs: Prefs | undefined): Recipient {
  const channels: Channel[] = [];
  if ((prefs?.sms ?? true) && who.phone) channels.push('sms');
  if ((prefs?.email ?? true) && who.email) channels.push('email');
  if ((prefs?.inApp ?? true) && who.userId) channels.push('in_app');
  return { userId: who.userId, phone: who.phone, email: who.email, locale: prefs?.locale ?? 'vi', channels };
}

/** A citizen's chosen channels and language (every channel, Vietnamese, when never chosen). */
export async function citizenRecipient(db: DbOrTx, who: { userId: string | null; phone: string | null; email: string | null }): Promise<Recipient> {
  const prefs = who.userId
    ? await db.selectFrom('notifyPreferences').select(['sms', 'email', 'inApp', 'locale']).where('userId', '=', who.userId).executeTakeFirst()
    : undefined;
  return recipientWith(who, prefs);
}

const officialRecipient = (r: { id: string; locale: Locale | null }): Recipient => ({ userId: r.id, phone: null, email: null, locale: r.locale ?? 'vi', channels: ['in_app'] });

/**
 * Officials holding `role` over `agencyId` (in it or above it), for in-app queue messages;
 * never the official who caused the event.
 */
export async function officialRecipients(db: DbOrTx, agencyId: string, role: string, exceptUserId: string | null): Promise<Recipient[]> {
  const chain = await agencyChain(db, agencyId);
  if (chain.length === 0) return [];
  let q = db.selectFrom('officialRoles as r').innerJoin('users as u', 'u.id', 'r.userId')
    .leftJoin('notifyPreferences as p', 'p.userId', 'u.id')
    .select(['u.id', 'p.locale']).distinct()
    .where('r.role', '=', role).where('r.agencyId', 'in', chain).where('u.disabledAt', 'is', null);
  if (exceptUserId) q = q.where('u.id', '<>', exceptUserId);
  const rows = await q.limit(200).execute();
  return rows.map(officialRecipient);
}

/** The same officials as `officialRecipients`, as a JSON array of {id, locale} for one query. */
function officialsJson(o: { agencyId: string; role: string; except: string | null }) {
  return sql`(SELECT coalesce(json_agg(json_build_object('id', x.id, 'locale', x.locale)), '[]'::json) FROM (
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM agencies WHERE id = ${o.agencyId}::uuid
      UNION ALL SELECT g.id, g.parent_id, up.depth + 1 FROM agencies g JOIN up ON g.id = up.parent_id WHERE up.depth < 20)
    SELECT DISTINCT u.id, p.locale FROM official_roles r JOIN users u ON u.id = r.user_id LEFT JOIN notify_preferences p ON p.user_id = u.id
    WHERE r.role = ${o.role} AND r.agency_id IN (SELECT id FROM up) AND u.disabled_at IS NULL${o.except ? sql` AND u.id <> ${o.except}::uuid` : sql``}
    LIMIT 200) x)`;
}

const COLLECT: Record<string, { vi: string; en: string }> = {
  counter: { vi: 'Mời ông/bà đến nhận kết quả tại Bộ phận Một cửa', en: 'Please collect it at the one-stop desk' },
  post: { vi: 'Kết quả sẽ được gửi qua bưu chính công ích đến địa chỉ ông/bà đã đăng ký.', en: 'It will be sent by public post to the address you gave.' },
  online: { vi: 'Ông/bà có thể tải kết quả trên Cổng dịch vụ công.', en: 'You can download it online.' },
};

function collectText(method: string, locale: Locale, address: string | null | undefined): string {
  const t = COLLECT[method] ?? COLLECT.counter!;
  return method === 'counter' && address ? `${t[locale]} (${address}).` : method === 'counter' ? `${t[locale]}.` : t[locale];
}

const CHANNEL_WORDS: Record<string, string> = { online: 'trực tuyến', in_person: 'trực tiếp', post: 'bưu chính' };

/** Who an event of an action is for: the applicant, officials over an agency (in-app), or named people. */
type Audience = { citizen: true } | { officials: { agencyId: string; role: string; except: string | null } } | { people: Recipient[] };

/** The messages an action causes (none for most of them). */
function messagesOf(e: ActionEvent): { event: EventName; to: Audience }[] {
  const { view } = e;
  const row = e.before.row;
  const step = view.stepIndex !== null ? e.before.steps[view.stepIndex] : undefined;
  const stepRole = step?.role ?? 'reception_officer';
  const citizen = { citizen: true } as const;
  const officials = (agencyId: string, role: string, except: string | null) => ({ officials: { agencyId, role, except } });
  const inApp = (userId: string) => ({ people: [{ userId, phone: null, email: null, locale: 'vi' as const, channels: ['in_app' as const] }] });
  switch (e.type) {
    case 'submit':
      return [{ event: 'dossier.submitted', to: citizen }, { event: 'queue.new_dossier', to: officials(row.receivingAgencyId, 'reception_officer', e.ctx.actorId) }];
    case 'receive':
      return [{ event: 'dossier.received', to: citizen }];
    case 'request_supplement_before_reception':
    case 'request_supplement':
      return [{ event: 'dossier.supplement_requested', to: citizen }];
    case 'supplement': {
      const holder = e.before.view.assigneeId;
      return [{
        event: 'queue.supplemented',
        to: holder ? inApp(holder) : officials(view.agencyId ?? row.receivingAgencyId, view.status === 'submitted' ? 'reception_officer' : stepRole, null),
      }];
    }
    case 'forward':
    case 'return_step':
    case 'transfer':
      return view.agencyId ? [{ event: 'queue.arrived', to: officials(view.agencyId, stepRole, e.ctx.actorId) }] : [];
    case 'assign':
      return view.assigneeId && view.assigneeId !== e.ctx.actorId ? [{ event: 'queue.assigned', to: inApp(view.assigneeId) }] : [];
    case 'extend':
      return [{ event: 'dossier.extended', to: citizen }];
    case 'refuse':
      return [{ event: 'dossier.refused', to: citizen }];
    case 'stop':
      return [{ event: 'dossier.stopped', to: citizen }];
    case 'approve':
      return [{ event: 'queue.result_to_return', to: officials(row.receivingAgencyId, 'reception_officer', e.ctx.actorId) }];
    case 'mark_result_ready':
      return [{ event: 'dossier.result_ready', to: citizen }];
    case 'return_result':
      return [{ event: 'dossier.result_returned', to: citizen }];
    default:
      return [];
  }
}

/**
 * The dossier `after` hook: runs inside the action's transaction, after the action is written,
 * and puts the messages the action causes into the outbox (applicant: by their channels;
 * officials: in-app for their queues). One query reads what the messages need (procedure and
 * agency names, the applicant's channels, the officials, administrators' templates: always
 * current, nothing cached), then `emitAll` writes them all.
 */
export function dossierNotifyHook(deps: NotifyDeps) {
  return async (e: ActionEvent): Promise<void> => {
    const messages = messagesOf(e);
    if (messages.length === 0) return;
    const { tx, entry, view } = e;
    const row = e.before.row;
    const prefsOf = messages.some((m) => 'citizen' in m.to) ? row.applicantUserId : null;
    const officials = messages.map((m) => ('officials' in m.to ? m.to.officials : null)).find((o) => o !== null) ?? null;
    const events = [...new Set(messages.map((m) => m.event))];
    const { rows: [c] } = await sql<{
      procedureName: string | null; agencyName: string | null; agencyAddress: string | null;
      sms: boolean | null; email: boolean | null; inApp: boolean | null; locale: Locale | null;
      officials: { id: string; locale: Locale | null }[] | null; templates: TemplateRow[];
    }>`
      SELECT pr.name AS procedure_name, a.name AS agency_name, a.address AS agency_address, np.sms, np.email, np.in_app, np.locale,
        ${officials ? officialsJson(officials) : sql`NULL::json`} AS officials,
        (SELECT coalesce(json_agg(json_build_object('event', t.event, 'channel', t.channel, 'locale', t.locale, 'subject', t.subject, 'body', t.body, 'version', t.version)), '[]'::json)
          FROM notify_templates t WHERE t.event = ANY(${events}::text[])) AS templates
      FROM (SELECT 1) one
        LEFT JOIN procedures pr ON pr.id = ${row.procedureId}::uuid
        LEFT JOIN agencies a ON a.id = ${row.receivingAgencyId}::uuid
        LEFT JOIN notify_preferences np ON np.user_id = ${prefsOf}::uuid`.execute(tx);
    const tz = deps.config.WORK_UTC_OFFSET;
    const reasons = Array.isArray(entry.payload.reasons) ? (entry.payload.reasons as unknown[]).map(String).join('; ') : (e.comment ?? '');
    const publicUrl = (deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`).replace(/\/+$/, '');
    const step = view.stepIndex !== null ? e.before.steps[view.stepIndex] : undefined;
    const delivery = row.delivery.method;
    const vars: Record<string, string | undefined> = {
      code: view.code ?? row.code ?? '',
      procedure: c?.procedureName ?? undefined,
      agency: c?.agencyName ?? undefined,
      applicant: row.applicantName,
      appointment: formatLocalTime(view.dueAt, tz),
      lookupUrl: `${publicUrl}/tra-cuu?ma=${encodeURIComponent(view.code ?? '')}`,
      reasons,
      reason: e.comment ?? reasons,
      collect: collectText(delivery, 'vi', c?.agencyAddress),
      step: step?.name.vi,
      stepDue: formatLocalTime(view.stepDueAt, tz),
      channel: CHANNEL_WORDS[row.channel],
    };
    const en = { collect: collectText(delivery, 'en', c?.agencyAddress), step: step?.name.en, channel: row.channel.replace('_', ' ') };
    const citizen = recipientWith({ userId: row.applicantUserId, phone: row.applicantPhone, email: row.applicantEmail }, prefsOf && c?.sms !== null && c ? c : undefined);
    const recipients = (to: Audience): Recipient[] =>
      'citizen' in to ? [citizen] : 'officials' in to ? (c?.officials ?? []).map(officialRecipient) : to.people;
    const cause = `dossier:${row.id}:${entry.seq}`;
    await emitAll(tx, deps, messages.map((m) => ({
      event: m.event, cause, dossierId: row.id, agencyId: row.receivingAgencyId, vars, localVars: { en }, recipients: recipients(m.to),
    })), templatesByEvent(c?.templates ?? []));
  };
}
