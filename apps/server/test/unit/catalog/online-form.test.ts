import { describe, expect, it } from 'vitest';
import { checkFormSchema, compileFormSchema } from '../../../src/modules/catalog/online-form.ts';

describe('online form schemas', () => {
  const good = {
    type: 'object',
    properties: {
      applicantName: { type: 'string', minLength: 1 },
      email: { type: 'string', format: 'email' },
      kind: { type: 'string', enum: ['A', 'B'], enumNames: ['Loại A', 'Loại B'] },
    },
    required: ['applicantName'],
  };
  it('accepts a draft-07 object schema (with @rjsf enumNames) and validates data with it', () => {
    expect(checkFormSchema(good, 'body.onlineForm.schema')).toEqual([]);
    const v = compileFormSchema(good);
    expect(v({ applicantName: 'An', email: 'an@example.vn' })).toBe(true);
    expect(v({ email: 'not-an-email' })).toBe(false);
  });
  it.each([
    ['not an object', 'x'],
    ['an array', [1]],
    ['a non-object root', { type: 'string' }],
    ['a wrong type name', { type: 'object', properties: { a: { type: 'strin' } } }],
    ['a misspelt keyword', { type: 'object', properties: { a: { type: 'string' } }, requried: ['a'] }],
    ['an unknown format', { type: 'object', properties: { a: { type: 'string', format: 'cccd' } } }],
    ['an unresolvable $ref', { type: 'object', properties: { a: { $ref: 'https://example.com/x.json' } } }],
    ['a bad pattern', { type: 'object', properties: { a: { type: 'string', pattern: '(' } } }],
    ['required that is not a list', { type: 'object', required: 'a' }],
  ])('refuses %s, with a message in both languages', (_name, schema) => {
    const problems = checkFormSchema(schema, 'body.onlineForm.schema');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('body.onlineForm.schema');
    expect(problems[0]!.message.vi).toMatch(/lược đồ/i);
    expect(problems[0]!.message.en).toMatch(/schema/i);
  });
  it('refuses a schema larger than 200 KB', () => {
    const big = { type: 'object', description: 'x'.repeat(210_000) };
    expect(checkFormSchema(big, 'p')[0]!.message.en).toMatch(/too large/);
  });
});
