import { randomInt, randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import { toMsisdn } from '../../adapters/sms/index.ts';
import { QUEUES, type Jobs } from '../../jobs/boss.ts';
import { agencyChain } from '../agencies/index.ts';
import type { ActionEvent } from '../dossier/index.ts';
import { eventChannels, type Channel, type EventName, type Locale } from './events.ts';
import { loadTemplates, pickTemplate, render } from './templates.ts';

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

/**
 * Writes the messages an event causes into the outbox, inside the caller's transaction: one row
 * per recipient and channel (in-app rows are delivered at once), and one pg-boss job per SMS or
 * email, so the messages exist exactly when the change does. Returns how many were written
 * (a repeated cause writes none).
 */
export async function emit(tx: Tx, deps: NotifyDeps, e: Emission): Promise<number> {
  const templates = await loadTemplates(tx, e.event);
  const offered = eventChannels(e.event);
  const rows: {
    id: string; event: string; channel: Channel; dedupeKey: string; dossierId: string | null; agencyId: string | null;
    recipientUserId: string | null; recipient: string | null; locale: Locale; subject: string | null; body: string;
    status: 'queued' | 'delivered'; concatRef: number; doneAt: Date | null;
  }[] = [];
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
  if (rows.length === 0) return 0;
  const inserted = await tx.insertInto('notifyMessages').values(rows).onConflict((oc) => oc.column('dedupeKey').doNothing()).returning(['id', 'channel', 'status']).execute();
  if (inserted.length === 0) return 0;
  await tx.insertInto('notifyMessageEvents').values(inserted.map((m) => ({ messageId: m.id, status: m.status, detail: m.channel === 'in_app' ? 'in-app inbox' : 'written to the outbox' }))).execute();
  await deps.jobs.enqueue(tx, QUEUES.sms, inserted.filter((m) => m.channel === 'sms').map((m) => ({ id: m.id, data: { messageId: m.id } })));
  await deps.jobs.enqueue(tx, QUEUES.email, inserted.filter((m) => m.channel === 'email').map((m) => ({ id: m.id, data: { messageId: m.id } })));
  return inserted.length;
}

/** A citizen's chosen channels and language (every channel, Vietnamese, when never chosen). */
export async function citizenRecipient(db: DbOrTx, who: { userId: string | null; phone: string | null; email: string | null }): Promise<Recipient> {
  const prefs = who.userId
    ? await db.selectFrom('notifyPreferences').select(['sms', 'email', 'inApp', 'locale']).where('userId', '=', who.userId).executeTakeFirst()
    : undefined;
  const channels: Channel[] = [];
  if ((prefs?.sms ?? true) && who.phone) channels.push('sms');
  if ((prefs?.email ?? true) && who.email) channels.push('email');
  if ((prefs?.inApp ?? true) && who.userId) channels.push('in_app');
  return { userId: who.userId, phone: who.phone, email: who.email, locale: prefs?.locale ?? 'vi', channels };
}

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
  return rows.map((r) => ({ userId: r.id, phone: null, email: null, locale: r.locale ?? 'vi', channels: ['in_app'] as const }));
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

/**
 * The dossier `after` hook: runs inside the action's transaction, after the action is written,
 * and puts the messages the action causes into the outbox (applicant: by their channels;
 * officials: in-app for their queues).
 */
export function dossierNotifyHook(deps: NotifyDeps) {
  return async (e: ActionEvent): Promise<void> => {
    const { tx, entry, view } = e;
    const row = e.before.row;
    const cause = `dossier:${row.id}:${entry.seq}`;
    const [procedure, agency, action] = await Promise.all([
      tx.selectFrom('procedures').select('name').where('id', '=', row.procedureId).executeTakeFirst(),
      tx.selectFrom('agencies').select(['name', 'address']).where('id', '=', row.receivingAgencyId).executeTakeFirst(),
      tx.selectFrom('dossierActions').select('comment').where('dossierId', '=', row.id).where('seq', '=', entry.seq).executeTakeFirst(),
    ]);
    const tz = deps.config.WORK_UTC_OFFSET;
    const reasons = Array.isArray(entry.payload.reasons) ? (entry.payload.reasons as unknown[]).map(String).join('; ') : (action?.comment ?? '');
    const publicUrl = (deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`).replace(/\/+$/, '');
    const step = view.stepIndex !== null ? e.before.steps[view.stepIndex] : undefined;
    const delivery = row.delivery.method;
    const vars: Record<string, string | undefined> = {
      code: view.code ?? row.code ?? '',
      procedure: procedure?.name,
      agency: agency?.name,
      applicant: row.applicantName,
      appointment: formatLocalTime(view.dueAt, tz),
      lookupUrl: `${publicUrl}/tra-cuu?ma=${encodeURIComponent(view.code ?? '')}`,
      reasons,
      reason: action?.comment ?? reasons,
      collect: collectText(delivery, 'vi', agency?.address),
      step: step?.name.vi,
      stepDue: formatLocalTime(view.stepDueAt, tz),
      channel: CHANNEL_WORDS[row.channel],
    };
    const citizen = () => citizenRecipient(tx, { userId: row.applicantUserId, phone: row.applicantPhone, email: row.applicantEmail });
    const en = { collect: collectText(delivery, 'en', agency?.address), step: step?.name.en, channel: row.channel.replace('_', ' ') };
    const send = async (event: EventName, recipients: Recipient[]) => {
      await emit(tx, deps, { event, cause, dossierId: row.id, agencyId: row.receivingAgencyId, vars, localVars: { en }, recipients });
    };
    const stepRole = step?.role ?? 'reception_officer';
    switch (e.type) {
      case 'submit':
        await send('dossier.submitted', [await citizen()]);
        await send('queue.new_dossier', await officialRecipients(tx, row.receivingAgencyId, 'reception_officer', e.ctx.actorId));
        break;
      case 'receive':
        await send('dossier.received', [await citizen()]);
        break;
      case 'request_supplement_before_reception':
      case 'request_supplement':
        await send('dossier.supplement_requested', [await citizen()]);
        break;
      case 'supplement': {
        const holder = e.before.view.assigneeId;
        const recipients = holder
          ? [{ userId: holder, phone: null, email: null, locale: 'vi' as const, channels: ['in_app'] as const }]
          : await officialRecipients(tx, view.agencyId ?? row.receivingAgencyId, view.status === 'submitted' ? 'reception_officer' : stepRole, null);
        await send('queue.supplemented', recipients);
        break;
      }
      case 'forward':
      case 'return_step':
      case 'transfer':
        if (view.agencyId) await send('queue.arrived', await officialRecipients(tx, view.agencyId, stepRole, e.ctx.actorId));
        break;
      case 'assign':
        if (view.assigneeId && view.assigneeId !== e.ctx.actorId)
          await send('queue.assigned', [{ userId: view.assigneeId, phone: null, email: null, locale: 'vi', channels: ['in_app'] }]);
        break;
      case 'extend':
        await send('dossier.extended', [await citizen()]);
        break;
      case 'refuse':
        await send('dossier.refused', [await citizen()]);
        break;
      case 'stop':
        await send('dossier.stopped', [await citizen()]);
        break;
      case 'approve':
        await send('queue.result_to_return', await officialRecipients(tx, row.receivingAgencyId, 'reception_officer', e.ctx.actorId));
        break;
      case 'mark_result_ready':
        await send('dossier.result_ready', [await citizen()]);
        break;
      case 'return_result':
        await send('dossier.result_returned', [await citizen()]);
        break;
      default:
        break;
    }
  };
}
