import type { Msg } from './errors.ts';

interface Issue {
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Translates a zod issue (as surfaced by fastify-type-provider-zod) into Vietnamese and English. */
export function issueMessage(issue: Issue): Msg {
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'invalid_type':
      if (p.input === undefined)
        return { vi: 'Trường này là bắt buộc.', en: 'This field is required.' };
      return { vi: `Sai kiểu dữ liệu (cần ${String(p.expected)}).`, en: `Wrong type (expected ${String(p.expected)}).` };
    case 'too_small':
      if (p.origin === 'string')
        return { vi: `Cần ít nhất ${String(p.minimum)} ký tự.`, en: `Must be at least ${String(p.minimum)} characters.` };
      return { vi: `Giá trị phải từ ${String(p.minimum)} trở lên.`, en: `Must be at least ${String(p.minimum)}.` };
    case 'too_big':
      if (p.origin === 'string')
        return { vi: `Tối đa ${String(p.maximum)} ký tự.`, en: `Must be at most ${String(p.maximum)} characters.` };
      return { vi: `Giá trị phải không quá ${String(p.maximum)}.`, en: `Must be at most ${String(p.maximum)}.` };
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? p.keys.join(', ') : '';
      return { vi: `Trường không được hỗ trợ: ${keys}.`, en: `Unknown field(s): ${keys}.` };
    }
    case 'invalid_format':
      if (p.format === 'email') return { vi: 'Email không hợp lệ.', en: 'Invalid email address.' };
      return { vi: 'Định dạng không hợp lệ.', en: 'Invalid format.' };
    case 'invalid_value':
      return { vi: 'Giá trị không nằm trong danh sách cho phép.', en: 'Value is not one of the allowed options.' };
    case 'invalid_union':
      return { vi: 'Giá trị không hợp lệ.', en: 'Invalid value.' };
    default:
      return { vi: 'Giá trị không hợp lệ.', en: issue.message ?? 'Invalid value.' };
  }
}
