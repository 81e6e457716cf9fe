import { useEffect } from 'react';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiRequestError, type LocalText } from '../api/client';

/** Pick the message in the interface language. */
export function localise(text: LocalText, lng: string): string {
  return lng === 'en' ? text.en : text.vi;
}

/** `body.password` → `password`; `body.roles.0.agencyId` → ['roles', 0, 'agencyId']. */
function toNamePath(path: string): (string | number)[] {
  const parts = path.split('.');
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Show the server's field errors next to the form's fields, in the current language (they are
 * re-applied when the language changes). Returns the field errors that match no field, so the
 * caller can show them in a summary.
 */
export function useServerFieldErrors(form: FormInstance, error: unknown, knownFields: readonly string[]): string[] {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const apiError = error instanceof ApiRequestError ? error : null;
  // Callers may pass a fresh array each render; only its content matters.
  const fieldsKey = knownFields.join(',');

  useEffect(() => {
    if (!apiError) return;
    const known = fieldsKey.split(',');
    const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
    for (const f of apiError.fields) {
      const name = toNamePath(f.path);
      if (!known.includes(String(name[0]))) continue;
      const key = name.join('.');
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(localise(f.message, lng));
      byField.set(key, entry);
    }
    if (byField.size) form.setFields([...byField.values()]);
  }, [apiError, form, fieldsKey, lng]);

  if (!apiError) return [];
  return apiError.fields
    .filter((f) => !knownFields.includes(String(toNamePath(f.path)[0])))
    .map((f) => localise(f.message, lng));
}
