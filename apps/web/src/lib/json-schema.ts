/**
 * A small JSON Schema (draft-07) validator for the browser. The site's Content-Security-Policy
 * forbids `eval`, which Ajv needs to compile schemas, so the online forms are checked here by
 * walking the schema instead; the server still validates every submission with Ajv.
 *
 * Supported: type, enum, const, required, properties, additionalProperties (boolean or schema),
 * minLength, maxLength, pattern, format (email, date, date-time, time, uri), minimum, maximum,
 * exclusiveMinimum, exclusiveMaximum, multipleOf, items, minItems, maxItems, uniqueItems,
 * allOf, anyOf, oneOf, not, if/then/else and local `$ref`s (#/definitions/…, #/$defs/…).
 */

export type Schema = Record<string, unknown>;

export type SchemaError = {
  /** Path of the value in the data, e.g. ['owner', 'phone'] or ['lines', 0]. */
  path: (string | number)[];
  keyword: string;
  params: Record<string, unknown>;
  /** Title of the schema of the value (or of the missing property). */
  title?: string;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FORMATS: Record<string, (s: string) => boolean> = {
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
  time: (s) => /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(s),
  uri: (s) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s),
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const actual = typeOf(v);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let cur: unknown = root;
  for (const p of parts) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return isObject(cur) ? cur : undefined;
}

function patternTest(pattern: string, s: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(s);
  } catch {
    try {
      return new RegExp(pattern).test(s);
    } catch {
      return true; // an unusable pattern is the server's to report
    }
  }
}

/** All the ways `data` breaks `schema` (an empty list when it is valid). */
export function validate(schema: unknown, data: unknown, root: Schema = isObject(schema) ? schema : {}): SchemaError[] {
  const errors: SchemaError[] = [];
  walk(schema, data, root, [], errors, 0);
  return errors;
}

export function isValid(schema: unknown, data: unknown, root?: Schema): boolean {
  return validate(schema, data, root).length === 0;
}

function walk(schema: unknown, data: unknown, root: Schema, path: (string | number)[], out: SchemaError[], depth: number): void {
  if (depth > 64) return;
  if (schema === false) {
    out.push({ path, keyword: 'false', params: {} });
    return;
  }
  if (!isObject(schema)) return;
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  const push = (keyword: string, params: Record<string, unknown> = {}) => out.push({ path, keyword, params, title });

  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target) walk(target, data, root, path, out, depth + 1);
  }

  if (data === undefined) return;

  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : null;
  if (types && !types.some((t) => matchesType(data, t))) {
    push('type', { type: types.join(', ') });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, data))) push('enum', { allowedValues: schema.enum });
  if ('const' in schema && !equal(schema.const, data)) push('const', { allowedValue: schema.const });

  if (typeof data === 'string') {
    const length = [...data].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) push(schema.minLength === 1 ? 'required' : 'minLength', { limit: schema.minLength });
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) push('maxLength', { limit: schema.maxLength });
    if (typeof schema.pattern === 'string' && !patternTest(schema.pattern, data)) push('pattern', { pattern: schema.pattern });
    if (typeof schema.format === 'string' && FORMATS[schema.format] && !FORMATS[schema.format]!(data)) push('format', { format: schema.format });
  }

  if (typeof data === 'number') {
    if (typeof schema.minimum === 'number' && data < schema.minimum) push('minimum', { limit: schema.minimum });
    if (typeof schema.maximum === 'number' && data > schema.maximum) push('maximum', { limit: schema.maximum });
    if (typeof schema.exclusiveMinimum === 'number' && data <= schema.exclusiveMinimum) push('exclusiveMinimum', { limit: schema.exclusiveMinimum });
    if (typeof schema.exclusiveMaximum === 'number' && data >= schema.exclusiveMaximum) push('exclusiveMaximum', { limit: schema.exclusiveMaximum });
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const q = data / schema.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) push('multipleOf', { multipleOf: schema.multipleOf });
    }
  }

  if (Array.isArray(data)) {
    if (typeof schema.minItems === 'number' && data.length < schema.minItems) push('minItems', { limit: schema.minItems });
    if (typeof schema.maxItems === 'number' && data.length > schema.maxItems) push('maxItems', { limit: schema.maxItems });
    if (schema.uniqueItems === true && data.some((x, i) => data.findIndex((y) => equal(x, y)) !== i)) push('uniqueItems');
    if (Array.isArray(schema.items)) {
      schema.items.forEach((s, i) => {
        if (i < data.length) walk(s, data[i], root, [...path, i], out, depth + 1);
      });
    } else if (schema.items !== undefined) {
      data.forEach((x, i) => walk(schema.items, x, root, [...path, i], out, depth + 1));
    }
  }

  if (isObject(data)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === 'string' && (data[name] === undefined || data[name] === null || data[name] === '')) {
          const ps = props[name];
          out.push({ path: [...path, name], keyword: 'required', params: { missingProperty: name }, title: isObject(ps) && typeof ps.title === 'string' ? ps.title : undefined });
        }
      }
    }
    for (const [name, value] of Object.entries(data)) {
      if (name in props) {
        if (value !== null || !(Array.isArray(schema.required) && schema.required.includes(name))) walk(props[name], value, root, [...path, name], out, depth + 1);
      } else if (schema.additionalProperties === false) {
        out.push({ path: [...path, name], keyword: 'additionalProperties', params: { additionalProperty: name } });
      } else if (isObject(schema.additionalProperties)) {
        walk(schema.additionalProperties, value, root, [...path, name], out, depth + 1);
      }
    }
  }

  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) walk(s, data, root, path, out, depth + 1);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => validate(s, data, root).length === 0)) push('anyOf');
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => validate(s, data, root).length === 0).length !== 1) push('oneOf');
  if (schema.not !== undefined && validate(schema.not, data, root).length === 0) push('not');
  if (schema.if !== undefined) {
    const branch = validate(schema.if, data, root).length === 0 ? schema.then : schema.else;
    if (branch !== undefined) walk(branch, data, root, path, out, depth + 1);
  }
}

/** Is `value` usable as an online form schema (an object schema with properties)? */
export function checkFormSchema(value: unknown): 'ok' | 'not_object' | 'no_properties' {
  if (!isObject(value)) return 'not_object';
  if (value.type !== 'object') return 'not_object';
  if (!isObject(value.properties)) return 'no_properties';
  return 'ok';
}
