/** Bilingual message: Vietnamese first, English second. */
export interface Msg {
  vi: string;
  en: string;
}

export interface FieldError {
  path: string;
  message: Msg;
}

/**
 * An error the API answers with its own status and stable code. Services throw these
 * through the factories below; the one error handler turns them into the error shape.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly msg: Msg,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(msg.en);
  }
}

export const badRequest = (code: string, msg: Msg, fields?: FieldError[]) => new AppError(400, code, msg, fields);

export const validationFailed = (fields: FieldError[]) =>
  new AppError(
    400,
    'validation_failed',
    { vi: 'Dữ liệu không hợp lệ, vui lòng kiểm tra lại các trường được đánh dấu.', en: 'Some fields are invalid; please check them.' },
    fields,
  );

export const fieldError = (path: string, vi: string, en: string) => validationFailed([{ path, message: { vi, en } }]);

export const authenticationRequired = () =>
  new AppError(401, 'authentication_required', { vi: 'Vui lòng đăng nhập.', en: 'Please sign in.' });

export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', {
    vi: 'Tài khoản hoặc mật khẩu không đúng.',
    en: 'The account or password is incorrect.',
  });

export const forbidden = () =>
  new AppError(403, 'forbidden', {
    vi: 'Bạn không có quyền thực hiện thao tác này.',
    en: 'You are not allowed to do this.',
  });

export const notFound = (what: Msg = { vi: 'Không tìm thấy.', en: 'Not found.' }) => new AppError(404, 'not_found', what);

export const conflict = (code: string, msg: Msg) => new AppError(409, code, msg);

export const tooManyRequests = (code: string, msg: Msg, retryAfterSeconds?: number) =>
  new AppError(429, code, msg, undefined, retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : undefined);
