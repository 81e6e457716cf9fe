/**
 * Result templates, pure: which `{{placeholders}}` exist, checking a template against them and
 * filling one from a dossier's data.
 */
import type { ResultPlaceholder } from '@motcua/contracts';

/** The placeholders every template may use; `form.<field>` adds the procedure's online-form fields. */
export const BASE_PLACEHOLDERS: ResultPlaceholder[] = [
  { key: 'dossier.code', label: { vi: 'Mã hồ sơ', en: 'Dossier code' } },
  { key: 'applicant.name', label: { vi: 'Họ tên người/tổ chức nộp hồ sơ', en: 'Applicant name' } },
  { key: 'applicant.idNumber', label: { vi: 'Số định danh (đã che một phần)', en: 'ID number (masked)' } },
  { key: 'applicant.address', label: { vi: 'Địa chỉ người nộp', en: 'Applicant address' } },
  { key: 'applicant.phone', label: { vi: 'Số điện thoại người nộp', en: 'Applicant phone' } },
  { key: 'procedure.name', label: { vi: 'Tên thủ tục', en: 'Procedure name' } },
  { key: 'procedure.code', label: { vi: 'Mã thủ tục', en: 'Procedure code' } },
  { key: 'agency.name', label: { vi: 'Cơ quan giải quyết', en: 'Resolving agency' } },
  { key: 'receivedAt', label: { vi: 'Ngày tiếp nhận', en: 'Date received' } },
  { key: 'issuedAt', label: { vi: 'Ngày ký kết quả', en: 'Date signed' } },
];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/** What a missing value prints as: the dotted line of a paper form. */
export const BLANK = '……………';

const objectAt = (o: unknown, key: string): Record<string, unknown> | null => {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : null;
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null;
};

/** The online form's fields (`{ schema, uiSchema }`: the schema's top-level `properties`), with their titles. */
export function formPlaceholders(onlineForm: Record<string, unknown> | null): ResultPlaceholder[] {
  const props = objectAt(objectAt(onlineForm, 'schema'), 'properties') ?? {};
  return Object.entries(props)
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => {
      const t = v && typeof v === 'object' && typeof (v as { title?: unknown }).title === 'string' ? (v as { title: string }).title : k;
      return { key: `form.${k}`, label: { vi: `Tờ khai: ${t}`, en: `Form: ${t}` } };
    });
}

/** The placeholders `text` uses that are not in `known` (each once, in order). */
export function unknownPlaceholders(text: string, known: readonly ResultPlaceholder[]): string[] {
  const keys = new Set(known.map((p) => p.key));
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (!keys.has(m[1]!) && !out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** A form value as printed: text as is, numbers in Vietnamese digits grouping, yes/no, lists joined. */
export function printable(v: unknown): string {
  if (v === null || v === undefined || v === '') return BLANK;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('vi-VN') : String(v).replace('.', ',');
  if (typeof v === 'boolean') return v ? 'Có' : 'Không';
  if (Array.isArray(v)) return v.length ? v.map(printable).join(', ') : BLANK;
  return BLANK;
}

/** Fills `text` with `values` (a key → printed text); unknown or empty ones print as a blank line. */
export function fill(text: string, values: Record<string, string | undefined>): string {
  return text.replace(PLACEHOLDER, (_all, key: string) => {
    const v = values[key];
    return v === undefined || v === '' ? BLANK : v;
  });
}
