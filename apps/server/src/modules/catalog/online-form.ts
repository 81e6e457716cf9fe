import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../../http/errors.ts';

/** Largest online form schema accepted, as JSON. */
export const MAX_FORM_SCHEMA_BYTES = 200_000;

/**
 * A fresh Ajv per schema (validators are kept in `compiled`). Strict mode refuses misspelt keywords
 * ("requried") and unknown formats; `enumNames` is the one non-standard keyword the web form
 * renderer (@rjsf) understands, so it is allowed.
 */
function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, logger: false, validateSchema: true });
  addFormats(ajv);
  ajv.addVocabulary(['enumNames']);
  return ajv;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}

/**
 * Checks that `schema` is a usable JSON Schema for an online form: valid against the draft-07
 * meta-schema, an object at the root, compilable (no unresolved `$ref`, no unknown format or
 * keyword). Returns the problems as field errors under `path` (empty when it is fine).
 */
export function checkFormSchema(schema: unknown, path: string): FieldError[] {
  const problem = (vi: string, en: string): FieldError[] => [{ path, message: { vi, en } }];
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    return problem('Lược đồ biểu mẫu phải là một đối tượng JSON Schema.', 'The form schema must be a JSON Schema object.');
  if (JSON.stringify(schema).length > MAX_FORM_SCHEMA_BYTES)
    return problem('Lược đồ biểu mẫu quá lớn (tối đa 200 KB).', 'The form schema is too large (200 KB at most).');
  const s = schema as Record<string, unknown>;
  if (s.type !== 'object')
    return problem('Lược đồ biểu mẫu phải có "type": "object" ở gốc.', 'The form schema must have "type": "object" at its root.');
  const ajv = newAjv();
  if (!ajv.validateSchema(s)) {
    const detail = describe(ajv.errors);
    return problem(`Lược đồ biểu mẫu không phải JSON Schema hợp lệ: ${detail}`, `The form schema is not valid JSON Schema: ${detail}`);
  }
  try {
    ajv.compile(s);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return problem(`Không dùng được lược đồ biểu mẫu: ${detail}`, `The form schema cannot be used: ${detail}`);
  }
  return [];
}

/** Compiled validators by schema text: compiling is the costly part, and forms change rarely. */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

/**
 * A validator for submitted form data (used by dossiers) of a checked form schema, compiled once
 * per distinct schema (the schema's JSON text is the key, so an edited form gets a new one).
 */
export function compileFormSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = newAjv().compile(schema);
    // A bounded cache: forget the oldest when full (a province has a few thousand procedures at most).
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, v);
  }
  return v;
}
