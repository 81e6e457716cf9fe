import { z } from 'zod';

/** One error shape for every error the API returns. */
export const ApiError = z.object({
  error: z.object({
    /** Stable machine-readable id, e.g. `validation_failed`, `not_found`. */
    code: z.string(),
    message: z.object({ vi: z.string(), en: z.string() }),
    /** Field-level details for validation errors (`path` is dot-joined, e.g. `body.password`). */
    fields: z
      .array(z.object({ path: z.string(), message: z.object({ vi: z.string(), en: z.string() }) }))
      .optional(),
    requestId: z.string(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;
