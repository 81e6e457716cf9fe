import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from './errors.ts';
import { issueMessage } from './validation-messages.ts';

function send(reply: FastifyReply, err: AppError) {
  if (err.headers) reply.headers(err.headers);
  return reply.status(err.statusCode).send({
    error: {
      code: err.code,
      message: err.msg,
      ...(err.fields ? { fields: err.fields } : {}),
      requestId: String(reply.request.id),
    },
  });
}

/** The one error handler: every error leaves in the same shape; 5xx details are masked and logged. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, error);

    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const fields: FieldError[] = error.validation.map((v) => {
        const path = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { path, message: issueMessage(v as never) };
      });
      return send(reply, new AppError(400, 'validation_failed', {
        vi: 'Dữ liệu không hợp lệ, vui lòng kiểm tra lại các trường được đánh dấu.',
        en: 'Some fields are invalid; please check them.',
      }, fields));
    }

    // The calendar's pure functions refuse impossible input (e.g. a schedule with no working time).
    if ((error as Error).name === 'CalendarError') {
      return send(reply, new AppError(400, 'calendar_invalid', { vi: 'Yêu cầu lịch làm việc không hợp lệ.', en: 'Invalid working-calendar request.' }));
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return send(reply, new AppError(429, 'rate_limited', {
        vi: 'Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút.',
        en: 'Too many requests; please try again in a few minutes.',
      }));
    }
    if (status === 413) {
      return send(reply, new AppError(413, 'payload_too_large', { vi: 'Dữ liệu gửi lên quá lớn.', en: 'The request body is too large.' }));
    }
    if (status === 415) {
      return send(reply, new AppError(415, 'unsupported_media_type', {
        vi: 'Định dạng dữ liệu không được hỗ trợ.',
        en: 'Unsupported content type.',
      }));
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON and other client errors raised by Fastify itself.
      const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'malformed_json' : 'bad_request';
      return send(reply, new AppError(400, code, code === 'malformed_json'
        ? { vi: 'Nội dung JSON không đúng cú pháp.', en: 'The JSON body is malformed.' }
        : { vi: 'Yêu cầu không hợp lệ.', en: 'The request is invalid.' }));
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, new AppError(500, 'internal_error', {
      vi: 'Đã có lỗi hệ thống. Vui lòng thử lại; nếu vẫn lỗi, hãy báo mã yêu cầu cho bộ phận hỗ trợ.',
      en: 'Something went wrong on our side. Please retry; if it persists, quote the request id to support.',
    }));
  });

}

/**
 * The 404 answer for unknown routes. An attacker could search for valid URLs if 404 handling
 * were not rate limited: it sits behind the same per-address limit as every route.
 * `spaIndex` serves the web app's shell for page URLs.
 */
export function installNotFound(app: FastifyInstance, spaIndex?: (reply: FastifyReply) => unknown): void {
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => {
    const accept = request.headers.accept ?? '';
    if (spaIndex && request.method === 'GET' && !request.url.startsWith('/api/') && accept.includes('text/html')) return spaIndex(reply);
    return send(reply, new AppError(404, 'not_found', { vi: 'Không tìm thấy.', en: 'Not found.' }));
  });
}
