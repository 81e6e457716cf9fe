import { createHash } from 'node:crypto';
import type { ProcedureDetail, ProcedureInput, ProcedurePatch } from '@motcua/contracts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import { conflict, fieldError, forbidden, notFound, validationFailed, type FieldError } from '../../http/errors.ts';
import { subtreeIds } from '../agencies/index.ts';
import { writeAudit, type AuditContext } from '../audit/index.ts';
import { can, scopeRoots, type Actor } from '../policy/index.ts';
import {
  agencyDirectory, findComponent, findDetail, findField, findHead, findIdByCode, insertHistory, insertProcedure, loadSnapshots,
  setComponentTemplate, setPublished, storeTemplate, touchProcedure, updateProcedure, type ComponentWrite, type ProcedureHead,
  type ProcedureWrite,
} from './catalog.repository.ts';
import { detectTemplateType, safeFilename } from './file-types.ts';
import { creationDiff, diffSnapshots, normaliseText, type ProcedureSnapshot } from './model.ts';
import { checkFormSchema } from './online-form.ts';

/** Largest template file accepted. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

export const procedureNotFound = () => notFound({ vi: 'Không tìm thấy thủ tục hành chính.', en: 'Procedure not found.' });
export const codeTaken = () => conflict('procedure_code_taken', { vi: 'Mã thủ tục đã tồn tại.', en: 'This procedure code already exists.' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs: anything that is not a uuid is simply not found. */
export const isUuid = (s: string) => UUID.test(s);

/**
 * The agencies in which `actor` manages procedures (their subtrees), or null when the actor
 * manages none. An agency admin manages a procedure only if every agency that receives or
 * resolves it is in that set; a province admin's set is the whole province.
 */
export async function manageScope(db: DbOrTx, actor: Actor | null): Promise<Set<string> | null> {
  if (!can(actor, 'procedure.manage')) return null;
  const ids = await subtreeIds(db, scopeRoots(actor, 'procedure.manage'));
  return ids.length ? new Set(ids) : null;
}

export const inScope = (scope: Set<string> | null, agencyIds: readonly string[]) =>
  !!scope && agencyIds.length > 0 && agencyIds.every((a) => scope.has(a));

/**
 * The procedure as `actor` may see it: published ones for everybody, unpublished ones only for
 * officials who manage them. Throws 404 otherwise (an unpublished procedure does not exist for
 * the public).
 */
export async function getVisibleDetail(db: Db, actor: Actor | null, id: string): Promise<ProcedureDetail> {
  if (!isUuid(id)) throw procedureNotFound();
  const d = await findDetail(db, id);
  if (!d) throw procedureNotFound();
  if (d.published) return d;
  const scope = await manageScope(db, actor);
  if (!inScope(scope, [...new Set(d.agencies.map((a) => a.id))])) throw procedureNotFound();
  return d;
}

/** Loads a procedure for a change by `actor`, locked until the transaction ends; 404/403 as it should. */
async function headForChange(tx: Tx, actor: Actor, id: string): Promise<{ head: ProcedureHead; scope: Set<string> }> {
  if (!can(actor, 'procedure.manage')) throw forbidden();
  if (!isUuid(id)) throw procedureNotFound();
  const head = await findHead(tx, id, { forUpdate: true });
  if (!head) throw procedureNotFound();
  const scope = await manageScope(tx, actor);
  if (!inScope(scope, head.agencyIds)) throw forbidden();
  return { head, scope: scope! };
}

async function snapshotOf(db: DbOrTx, id: string): Promise<ProcedureSnapshot> {
  const s = [...(await loadSnapshots(db, { ids: [id] })).values()][0];
  if (!s) throw procedureNotFound();
  return s.snapshot;
}

const sortedSet = <T>(xs: readonly T[]) => [...new Set(xs)];

/** Input text in its stored form: NFC, `\n` line breaks, trimmed; sets without duplicates. */
function normaliseInput<T extends Partial<ProcedurePatch>>(p: T): T {
  return {
    ...p,
    ...(p.name !== undefined && { name: normaliseText(p.name) }),
    ...(p.steps !== undefined && { steps: normaliseText(p.steps) }),
    ...(p.legalBasis !== undefined && { legalBasis: normaliseText(p.legalBasis) }),
    ...(p.levels && { levels: sortedSet(p.levels) }),
    ...(p.applicants && { applicants: sortedSet(p.applicants) }),
    ...(p.methods && { methods: sortedSet(p.methods) }),
    ...(p.receivingAgencyIds && { receivingAgencyIds: sortedSet(p.receivingAgencyIds) }),
    ...(p.resolvingAgencyIds && { resolvingAgencyIds: sortedSet(p.resolvingAgencyIds) }),
  };
}

/** The rule between methods and online level: offered online exactly when the level is not `none`. */
export function onlineConsistency(methods: readonly string[], onlineLevel: string): { vi: string; en: string } | null {
  const online = methods.includes('online');
  if (online && onlineLevel === 'none')
    return { vi: 'Thủ tục có cách thức trực tuyến phải có mức độ "toàn trình" hoặc "một phần".', en: 'A procedure offered online must be at level "full" or "partial".' };
  if (!online && onlineLevel !== 'none')
    return { vi: 'Mức độ trực tuyến chỉ dùng khi cách thức thực hiện có "trực tuyến".', en: 'An online level needs "online" among the methods.' };
  return null;
}

interface Candidate {
  fieldId: string;
  receivingAgencyIds: string[];
  resolvingAgencyIds: string[];
  methods: string[];
  onlineLevel: string;
  onlineForm: { schema: Record<string, unknown> } | null;
  components: { id?: string }[];
}

/**
 * Checks what the schema alone cannot: the field and agencies exist, no newly attached agency
 * has been dissolved, methods agree with the online level, the form schema is valid JSON
 * Schema, and kept components belong to the procedure. Returns every problem found (paths under
 * `body.`); throws 403 when an agency is outside the actor's scope.
 */
async function checkCandidate(db: DbOrTx, scope: Set<string>, c: Candidate, given: Set<string>, current?: { agencyIds: string[]; componentIds: string[] }): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  const add = (path: string, vi: string, en: string) => problems.push({ path, message: { vi, en } });
  if (given.has('fieldId') && !(await findField(db, c.fieldId))) add('body.fieldId', 'Lĩnh vực không tồn tại.', 'The field does not exist.');
  const dir = await agencyDirectory(db);
  const today = new Date().toISOString().slice(0, 10);
  const attached = new Set(current?.agencyIds ?? []);
  for (const key of ['receivingAgencyIds', 'resolvingAgencyIds'] as const) {
    if (!given.has(key)) continue;
    for (const [i, id] of c[key].entries()) {
      const a = dir.byId.get(id);
      if (!a) {
        add(`body.${key}.${i}`, 'Cơ quan không tồn tại.', 'The agency does not exist.');
        continue;
      }
      if (a.validTo && a.validTo < today && !attached.has(id))
        add(`body.${key}.${i}`, `${a.name} đã giải thể hoặc sáp nhập; hãy chọn cơ quan kế thừa.`, `${a.name} has been dissolved or merged; choose its successor.`);
    }
  }
  if (problems.length) return problems;
  if (!inScope(scope, [...c.receivingAgencyIds, ...c.resolvingAgencyIds])) throw forbidden();
  if (given.has('methods') || given.has('onlineLevel')) {
    const bad = onlineConsistency(c.methods, c.onlineLevel);
    if (bad) problems.push({ path: given.has('onlineLevel') ? 'body.onlineLevel' : 'body.methods', message: bad });
  }
  if (given.has('onlineForm') && c.onlineForm) problems.push(...checkFormSchema(c.onlineForm.schema, 'body.onlineForm.schema'));
  if (given.has('components')) {
    const own = new Set(current?.componentIds ?? []);
    const seen = new Set<string>();
    for (const [i, comp] of c.components.entries()) {
      if (!comp.id) continue;
      if (!own.has(comp.id) || seen.has(comp.id))
        add(`body.components.${i}.id`, 'Thành phần hồ sơ không thuộc thủ tục này.', 'This component does not belong to the procedure.');
      seen.add(comp.id);
    }
  }
  return problems;
}

const componentWrites = (cs: ProcedurePatch['components'] & object): ComponentWrite[] =>
  cs.map((c) => ({ id: c.id, name: normaliseText(c.name), form: c.form, quantity: c.quantity, required: c.required, reusable: c.reusable }));

/**
 * Creates a procedure with its history row and audit event in one transaction.
 * Throws 403 (not a manager, or an agency outside the actor's scope), 400 (bad references or
 * form schema, every problem listed), 409 (code taken).
 */
export async function createProcedure(db: Db, actor: Actor, ctx: AuditContext, raw: ProcedureInput): Promise<string> {
  if (!can(actor, 'procedure.manage')) throw forbidden();
  const input = normaliseInput(raw);
  const scope = await manageScope(db, actor);
  if (!scope) throw forbidden();
  const problems = await checkCandidate(db, scope, input, new Set(Object.keys(input)));
  if (problems.length) throw validationFailed(problems);
  if (await findIdByCode(db, input.code)) throw codeTaken();
  const write: ProcedureWrite = { ...input, components: componentWrites(input.components) };
  return db.transaction().execute(async (tx) => {
    const id = await insertProcedure(tx, write).catch(rethrowUnique);
    const after = await snapshotOf(tx, id);
    await insertHistory(tx, { procedureId: id, actorId: ctx.actorId, actorName: ctx.actorName, action: 'created', diff: creationDiff(after) });
    await writeAudit(tx, ctx, { action: 'procedure.created', objectType: 'procedure', objectId: id, details: { code: input.code, published: input.published } });
    return id;
  });
}

/** A unique violation on the code (a concurrent writer won the race) becomes 409. */
export function rethrowUnique(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw codeTaken();
  throw err;
}

/**
 * Changes a procedure; `components` and `fees` replace the whole lists. Writes a history row
 * with the diff and an audit event in the same transaction, or nothing if nothing changed.
 * Throws 404, 403, 400 (every problem listed), 409 (code taken).
 */
export async function patchProcedure(db: Db, actor: Actor, ctx: AuditContext, id: string, raw: ProcedurePatch): Promise<void> {
  const patch = normaliseInput(raw);
  await db.transaction().execute(async (tx) => {
    const { head, scope } = await headForChange(tx, actor, id);
    const current = (await findDetail(tx, head.id))!;
    const ids = (k: 'receiving' | 'resolving') => current.agencies.filter((a) => a.kind === k).map((a) => a.id);
    const candidate: Candidate = {
      fieldId: patch.fieldId ?? current.field.id,
      receivingAgencyIds: patch.receivingAgencyIds ?? ids('receiving'),
      resolvingAgencyIds: patch.resolvingAgencyIds ?? ids('resolving'),
      methods: patch.methods ?? current.methods,
      onlineLevel: patch.onlineLevel ?? current.onlineLevel,
      onlineForm: patch.onlineForm !== undefined ? patch.onlineForm : current.onlineForm,
      components: patch.components ?? [],
    };
    const given = new Set(Object.keys(patch));
    const problems = await checkCandidate(tx, scope, candidate, given, { agencyIds: head.agencyIds, componentIds: current.components.map((c) => c.id) });
    if (problems.length) throw validationFailed(problems);
    if (patch.code && patch.code !== head.code && (await findIdByCode(tx, patch.code))) throw codeTaken();
    const before = await snapshotOf(tx, head.id);
    const { components, ...rest } = patch;
    await updateProcedure(tx, head.id, { ...rest, ...(components && { components: componentWrites(components) }) }).catch(rethrowUnique);
    const after = await snapshotOf(tx, head.id);
    const diff = diffSnapshots(before, after);
    if (Object.keys(diff).length === 0) return;
    await insertHistory(tx, { procedureId: head.id, actorId: ctx.actorId, actorName: ctx.actorName, action: 'updated', diff });
    await writeAudit(tx, ctx, { action: 'procedure.updated', objectType: 'procedure', objectId: head.id, details: { code: after.code, changed: Object.keys(diff) } });
  });
}

/** Publishes or unpublishes (never deletes). Idempotent: no history row when already so. Throws 404, 403. */
export async function setPublication(db: Db, actor: Actor, ctx: AuditContext, id: string, published: boolean): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { head } = await headForChange(tx, actor, id);
    if (head.published === published) return;
    await setPublished(tx, head.id, published);
    const action = published ? 'published' : 'unpublished';
    await insertHistory(tx, { procedureId: head.id, actorId: ctx.actorId, actorName: ctx.actorName, action, diff: { published: { from: !published, to: published } } });
    await writeAudit(tx, ctx, { action: `procedure.${action}`, objectType: 'procedure', objectId: head.id, details: { code: head.code } });
  });
}

/**
 * Attaches a template file to a component. The type comes from the bytes (PDF, DOCX, XLSX,
 * DOC); the name is cleaned and given the matching extension. Throws 404, 403, 400.
 */
export async function uploadTemplate(db: Db, actor: Actor, ctx: AuditContext, id: string, componentId: string, file: { content: Buffer; filename: string | undefined }): Promise<void> {
  if (!can(actor, 'procedure.manage')) throw forbidden();
  if (file.content.length === 0) throw fieldError('body.file', 'Tệp trống.', 'The file is empty.');
  if (file.content.length > MAX_TEMPLATE_BYTES) throw fieldError('body.file', 'Tệp mẫu tối đa 5 MB.', 'A template file is 5 MB at most.');
  const type = detectTemplateType(file.content);
  if (!type)
    throw fieldError('body.file', 'Chỉ nhận tệp PDF, Word (DOC, DOCX) hoặc Excel (XLSX).', 'Only PDF, Word (DOC, DOCX) or Excel (XLSX) files are accepted.');
  const filename = safeFilename(file.filename, type.ext);
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  await db.transaction().execute(async (tx) => {
    const { head } = await headForChange(tx, actor, id);
    const component = isUuid(componentId) ? await findComponent(tx, head.id, componentId) : undefined;
    if (!component) throw notFound({ vi: 'Không tìm thấy thành phần hồ sơ.', en: 'Dossier component not found.' });
    await storeTemplate(tx, { sha256, content: file.content, mime: type.mime });
    await setComponentTemplate(tx, component.id, sha256, filename);
    await touchProcedure(tx, head.id);
    const from = component.templateSha256 ? { sha256: component.templateSha256, filename: component.templateFilename } : null;
    const diff = { template: { component: { id: component.id, name: component.name }, from, to: { sha256, filename } } };
    await insertHistory(tx, { procedureId: head.id, actorId: ctx.actorId, actorName: ctx.actorName, action: 'template_uploaded', diff });
    await writeAudit(tx, ctx, {
      action: 'procedure.template_uploaded', objectType: 'procedure', objectId: head.id,
      details: { code: head.code, componentId: component.id, sha256, size: file.content.length, mime: type.mime },
    });
  });
}
