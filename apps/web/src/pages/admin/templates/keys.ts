import type { NotifyChannel, NotifyLocale } from '@motcua/contracts';
import type { TemplateKey } from '../../../api/notify';

export const CHANNELS: readonly NotifyChannel[] = ['sms', 'email', 'in_app'];
export const LOCALES: readonly NotifyLocale[] = ['vi', 'en'];

/** The URL query that opens a template's editor. */
export function editSearch(k: TemplateKey): string {
  return `?${new URLSearchParams({ event: k.event, channel: k.channel, locale: k.locale }).toString()}`;
}

/** The template the URL names, or null for the list. */
export function keyFromParams(params: URLSearchParams): TemplateKey | null {
  const event = params.get('event');
  const channel = params.get('channel') as NotifyChannel | null;
  const locale = params.get('locale') as NotifyLocale | null;
  if (!event || !channel || !locale || !CHANNELS.includes(channel) || !LOCALES.includes(locale)) return null;
  return { event, channel, locale };
}
