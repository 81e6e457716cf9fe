import type { DbOrTx } from '../../db/database.ts';
import { EVENTS, type Channel, type EventDef, type EventName, type Locale } from './events.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** Fills `{{variable}}` placeholders; a missing value leaves an empty string, never the braces. */
export function render(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => vars[name] ?? '').normalize('NFC');
}

/** Placeholders in `text` that the event does not offer (an administrator's typo). */
export function unknownPlaceholders(event: EventName, text: string): string[] {
  const allowed: readonly string[] = EVENTS[event].variables;
  const found = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  return [...new Set(found.filter((v) => !allowed.includes(v)))];
}

/** Braces that are not a well-formed placeholder (`{{code}` or `{code}}`). */
export function malformedBraces(text: string): boolean {
  return /\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''));
}

export interface TemplateText {
  subject: string | null;
  body: string;
  isDefault: boolean;
  version: number;
}

/** The built-in text of a template, or undefined when the event has no such channel. */
export function defaultTemplate(event: EventName, channel: Channel, locale: Locale): { subject: string | null; body: string } | undefined {
  const d: EventDef = EVENTS[event];
  if (channel === 'sms') return d.sms ? { subject: null, body: d.sms[locale] } : undefined;
  if (channel === 'email') return d.email ? { subject: d.email.subject[locale], body: d.email.body[locale] } : undefined;
  return { subject: d.inApp.subject[locale], body: d.inApp.body[locale] };
}

/** Every template of `event` in force: administrators' versions over the built-in texts. */
export async function loadTemplates(db: DbOrTx, event: EventName): Promise<Map<string, TemplateText>> {
  return (await loadTemplatesOf(db, [event])).get(event) ?? new Map();
}

/** An administrator's version of a template, as stored. */
export interface TemplateRow {
  event: string;
  channel: string;
  locale: string;
  subject: string | null;
  body: string;
  version: number;
}

/** Administrators' versions by event, then by `channel:locale`. */
export function templatesByEvent(rows: readonly TemplateRow[]): Map<EventName, Map<string, TemplateText>> {
  const out = new Map<EventName, Map<string, TemplateText>>();
  for (const r of rows) {
    let m = out.get(r.event as EventName);
    if (!m) out.set(r.event as EventName, (m = new Map()));
    m.set(`${r.channel}:${r.locale}`, { subject: r.subject, body: r.body, isDefault: false, version: r.version });
  }
  return out;
}

/** The templates of several events in one query (see `templatesByEvent`). */
export async function loadTemplatesOf(db: DbOrTx, events: readonly EventName[]): Promise<Map<EventName, Map<string, TemplateText>>> {
  const rows = await db.selectFrom('notifyTemplates').select(['event', 'channel', 'locale', 'subject', 'body', 'version']).where('event', 'in', events).execute();
  return templatesByEvent(rows);
}

export function pickTemplate(overrides: Map<string, TemplateText>, event: EventName, channel: Channel, locale: Locale): TemplateText | undefined {
  const o = overrides.get(`${channel}:${locale}`);
  if (o) return o;
  const d = defaultTemplate(event, channel, locale);
  return d ? { ...d, isDefault: true, version: 0 } : undefined;
}
