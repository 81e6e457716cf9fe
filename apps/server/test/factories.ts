import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';

let n = 0;

export interface BuiltProcedure {
  id: string;
  componentIds: string[];
  reusableComponentId: string;
}

/** A fee item of a built procedure (procedure_fees). */
export interface BuiltFee {
  name: string;
  amountVnd: number;
  payableOnline?: boolean;
  when?: 'before_reception' | 'before_processing' | 'before_result';
}

/**
 * A published procedure received by the agency with `agencyCode` (the demo Department of Science
 * and Technology by default), with two required components and an online form, and the fee items in `fees`.
 */
export async function buildProcedure(db: Db, opts: { agencyCode?: string; days?: number; unit?: 'working_days' | 'working_hours'; online?: boolean; requiredComponents?: number; fees?: BuiltFee[] } = {}): Promise<BuiltProcedure> {
  n++;
  const agency = await db.selectFrom('agencies').select('id').where('code', '=', opts.agencyCode ?? '000.00.12.H56').executeTakeFirstOrThrow();
  const field = await db.insertInto('procedureFields').values({ code: `TEST${n}${Date.now() % 100000}`, name: 'Lĩnh vực thử nghiệm' } as never)
    .returning('id').executeTakeFirstOrThrow();
  const schema = {
    type: 'object',
    required: ['businessName'],
    properties: { businessName: { type: 'string', minLength: 2, title: 'Tên hộ kinh doanh' }, capital: { type: 'integer', minimum: 0 } },
  };
  const p = await sql<{ id: string }>`
    INSERT INTO procedures (code, name, field_id, levels, applicants, steps, methods, online_level, processing_value, processing_unit, legal_basis, result_documents, online_form, published)
    VALUES (${`1.${String(900000 + n).padStart(6, '0')}`}, ${`Thủ tục thử nghiệm ${n}`}, ${field.id}, ARRAY['province'], ARRAY['citizen'], 'Bước 1', ARRAY['in_person','online'],
      ${opts.online === false ? 'none' : 'full'}, ${opts.days ?? 5}, ${opts.unit ?? 'working_days'}, 'Luật thử nghiệm',
      ${JSON.stringify([{ name: 'Giấy chứng nhận', paper: true, electronic: true }])}::jsonb,
      ${opts.online === false ? null : JSON.stringify({ schema, uiSchema: {} })}::jsonb, true)
    RETURNING id`.execute(db);
  const id = p.rows[0]!.id;
  await db.insertInto('procedureAgencies').values([{ procedureId: id, agencyId: agency.id, kind: 'receiving' }, { procedureId: id, agencyId: agency.id, kind: 'resolving' }] as never).execute();
  const required = opts.requiredComponents ?? 2;
  const comps = [];
  for (let i = 0; i < required + 1; i++) {
    const c = await db.insertInto('procedureComponents').values({
      procedureId: id, sortOrder: i, name: i < required ? `Giấy tờ bắt buộc ${i + 1}` : 'Giấy tờ dùng lại được', form: 'copy', quantity: 1,
      required: i < required, reusable: i === required,
    } as never).returning('id').executeTakeFirstOrThrow();
    comps.push(c.id);
  }
  for (const [i, f] of (opts.fees ?? []).entries()) {
    await db.insertInto('procedureFees').values({
      procedureId: id, sortOrder: i, name: f.name, amountVnd: f.amountVnd, exemptions: null, payableOnline: f.payableOnline ?? true, payableWhen: f.when ?? 'before_reception',
    } as never).execute();
  }
  return { id, componentIds: comps.slice(0, required), reusableComponentId: comps[required]! };
}

export const pdfBytes = (text = 'giấy tờ') => Buffer.from(`%PDF-1.4\n% ${text} ${Math.random()}\n%%EOF\n`);

/** A multipart/form-data body with a componentId field and one file. */
export function multipart(file: Buffer, filename: string, fields: Record<string, string> = {}) {
  const boundary = `----motcua${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/**
 * A real one-page PDF (pdf-lib), for results: approval signs them, and a signature needs a
 * document that parses (`pdfBytes` only has the magic number).
 */
export async function resultPdf(title = 'Kết quả giải quyết'): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(`${title} ${Math.random()}`);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Ket qua giai quyet thu tuc hanh chinh', { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.TimesRoman) });
  return Buffer.from(await doc.save());
}
