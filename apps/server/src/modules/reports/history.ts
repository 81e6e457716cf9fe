/**
 * DEMO AND TEST DATA: writes dossiers with a past history (actions at chosen dates) exactly as
 * the dossier module writes live ones: the action log, and the projection derived from it by
 * the same pure function and the same mapping; codes from the same daily counters; and, when
 * asked, the fee items, payments and files the payment module and paper uploads would have left.
 * Left out: the audit rows of the historical actions, receipts and signatures. Used by the report tests and meant for the
 * demo seed (a year of the Department of Information and Communications, as in the source
 * article).
 *
 * It reaches into the dossier module's internals (process versions, the projection mapping,
 * dossier codes) on purpose: a second copy of them could drift from what the module writes.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql, type Insertable } from 'kysely';
import type { BlobInfo, BlobStore } from '../../adapters/storage/index.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { deriveDossier } from '../dossier/index.ts';
import { nextDossierCode } from '../dossier/codes.ts';
import { projection } from '../dossier/dossier.service.ts';
import { currentProcess } from '../dossier/process.ts';
import type { DossierAction } from './extract.ts';

export type ActionType = DossierAction['type'];

export interface HistoryAction {
  type: ActionType;
  at: Date;
  payload?: Record<string, unknown>;
}

export interface HistoryDossier {
  procedureId: string;
  /** Receiving agency. */
  agencyId: string;
  channel: 'in_person' | 'online' | 'post';
  /** Without `receive` codes: the writer assigns them as reception does. */
  actions: HistoryAction[];
  applicantName?: string;
  delivery?: { method: 'counter' | 'post' | 'online'; address?: string };
  /**
   * Fees, as the payment module keeps them: the procedure's fee items copied at submission, and
   * the items not free paid at the latest before the action their stage gates (reception, the
   * first forward, the return of the result) when that action is in the log, else left due. An
   * online `method` (VNPay, or a VietQR transfer matched on the bank statement) pays the items
   * payable online; the others are paid in cash at the counter. `exempted`: an official's reason
   * lifting every item at reception instead. No receipt is issued for a history payment.
   */
  fees?: { method: 'vnpay' | 'vietqr' | 'cash'; exempted?: string };
  /**
   * Files pointing at `blob` (stored bytes): one per required component from the submission
   * (online) or reception (scanned at the counter) when `components`; the reusable ones reused
   * from the same component's paper in an earlier dossier of this write when `reuse`; and the
   * result file, named after the procedure's first result document, at approval when `result`.
   * Nothing is signed.
   */
  papers?: { blob: BlobInfo; components: boolean; reuse: boolean; result: boolean };
}

/**
 * A one-page PDF (ASCII text, fixed bytes, so the same blob every time) standing for every paper
 * and result of the demo history.
 */
export function demoPaperPdf(): Buffer {
  const lines = [
    'DU LIEU MAU - GIAY TO MINH HOA (DEMO)',
    'Demo data: this page stands for every paper and result of the generated',
    'history of the demo province. It is not a real document.',
  ];
  const content = `BT /F1 13 Tf 60 770 Td ${lines.map((t, i) => `${i ? '0 -20 Td ' : ''}(${t}) Tj`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, o] of objects.entries()) {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Stores the demo paper through the blob store (content-addressed: once) and its `blobs` row. */
export async function storeDemoPaper(db: Db, blobs: BlobStore): Promise<BlobInfo> {
  const pdf = demoPaperPdf();
  const info = await blobs.put(Readable.from([pdf]), { maxBytes: pdf.length, allowed: ['application/pdf'] });
  await db.insertInto('blobs').values({ sha256: info.sha256, size: info.size, mime: info.mime }).onConflict((oc) => oc.doNothing()).execute();
  return info;
}

/**
 * Writes the dossiers and their logs (with their fees, payments and files when given) in one
 * transaction per 200 dossiers; returns their ids in
 * order. The procedure's current process and statutory time apply, as for a live dossier.
 * @throws TransitionError when a history is not one the workflow allows (nothing of that batch is written).
 */
export async function writeHistory(db: Db, calendar: WorkingCalendar, dossiers: readonly HistoryDossier[], codeFormat = '{agency}-{yyMMdd}-{seq4}'): Promise<string[]> {
  const ids: string[] = [];
  // The latest paper of each reusable component, for later dossiers to reuse.
  const reusable = new Map<string, { id: string; at: Date }>();
  for (let i = 0; i < dossiers.length; i += 200) {
    const part = dossiers.slice(i, i + 200);
    ids.push(...(await db.transaction().execute((tx) => writeBatch(tx, calendar, part, codeFormat, reusable))));
  }
  return ids;
}

interface ProcedureExtras {
  components: { id: string; name: string; required: boolean; reusable: boolean }[];
  fees: { id: string; name: string; amountVnd: string; payableOnline: boolean; payableWhen: string }[];
  resultName: string | null;
}

type Rows<T extends 'dossierFeeSnapshots' | 'dossierFees' | 'payments' | 'paymentItems' | 'dossierFiles'> = Insertable<Database[T]>[];

const MIN = 60_000;
/** The action each fee stage gates (fees.ts `gateFor`). */
const GATE = { before_reception: 'receive', before_processing: 'forward', before_result: 'return_result' } as const;

/** yyMMdd and yyyyMMddHHmmss in GMT+7, as payment references and VNPay dates are written. */
const gmt7 = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

async function writeBatch(tx: Tx, calendar: WorkingCalendar, dossiers: readonly HistoryDossier[], codeFormat: string, reusable: Map<string, { id: string; at: Date }>): Promise<string[]> {
  const procedures = new Map<string, { processingValue: number; processingUnit: string; process: Awaited<ReturnType<typeof currentProcess>>; extras?: ProcedureExtras }>();
  const agencies = new Map<string, { id: string; code: string }>();
  const ids: string[] = [];
  const rows = { snapshots: [] as Rows<'dossierFeeSnapshots'>, fees: [] as Rows<'dossierFees'>, payments: [] as Rows<'payments'>, items: [] as Rows<'paymentItems'>, files: [] as Rows<'dossierFiles'> };
  for (const d of dossiers) {
    let proc = procedures.get(d.procedureId);
    if (!proc) {
      const p = await tx.selectFrom('procedures').select(['processingValue', 'processingUnit']).where('id', '=', d.procedureId).executeTakeFirstOrThrow();
      proc = { ...p, process: await currentProcess(tx, d.procedureId) };
      procedures.set(d.procedureId, proc);
    }
    if ((d.fees || d.papers) && !proc.extras) proc.extras = await procedureExtras(tx, d.procedureId);
    let agency = agencies.get(d.agencyId);
    if (!agency) {
      agency = await tx.selectFrom('agencies').select(['id', 'code']).where('id', '=', d.agencyId).executeTakeFirstOrThrow();
      agencies.set(d.agencyId, agency);
    }
    const facts = { receivingAgencyId: d.agencyId, duration: { value: proc.processingValue, unit: proc.processingUnit as 'working_days' }, steps: proc.process.steps };
    const actions: DossierAction[] = [];
    for (const [i, a] of d.actions.entries()) {
      const payload = { ...(a.payload ?? {}) };
      if (a.type === 'receive') payload.code = await nextDossierCode(tx, agency, calendar.localDate(a.at), codeFormat);
      actions.push({ seq: i + 1, type: a.type, at: a.at, actorId: null, payload });
    }
    const view = deriveDossier(facts, actions, calendar, actions[actions.length - 1]?.at);
    const p = projection(view);
    const row = await tx.insertInto('dossiers').values({
      procedureId: d.procedureId, processId: proc.process.id, durationValue: proc.processingValue, durationUnit: proc.processingUnit as 'working_days',
      channel: d.channel, receivingAgencyId: d.agencyId, applicantName: d.applicantName ?? 'Người nộp (dữ liệu mẫu)',
      formData: '{}', delivery: JSON.stringify(d.delivery ?? { method: d.channel === 'online' ? 'online' : 'counter' }),
      ...p, updatedAt: actions[actions.length - 1]?.at ?? new Date(), createdAt: actions[0]?.at ?? new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    if (actions.length)
      await tx.insertInto('dossierActions').values(actions.map((a) => ({
        dossierId: row.id, seq: a.seq, type: a.type, at: a.at, actorId: null, actorName: 'dữ liệu mẫu', comment: null, payload: JSON.stringify(a.payload),
      }))).execute();
    if (proc.extras) addExtras(rows, row.id, d, actions, proc.extras, reusable);
    ids.push(row.id);
  }
  // Payment references from the same sequence as live ones, in one round trip.
  if (rows.payments.length) {
    const seq = await sql<{ n: string }>`SELECT nextval('payment_reference_seq')::text AS n FROM generate_series(1, ${rows.payments.length})`.execute(tx);
    rows.payments.forEach((p, i) => {
      p.reference = `${p.reference}${seq.rows[i]!.n.padStart(8, '0')}`;
    });
  }
  const insert = async <T extends 'dossierFeeSnapshots' | 'dossierFees' | 'payments' | 'paymentItems' | 'dossierFiles'>(table: T, list: Rows<T>) => {
    for (let i = 0; i < list.length; i += 1000) await tx.insertInto(table).values(list.slice(i, i + 1000) as never).execute();
  };
  await insert('dossierFeeSnapshots', rows.snapshots);
  await insert('payments', rows.payments);
  await insert('dossierFees', rows.fees);
  await insert('paymentItems', rows.items);
  await insert('dossierFiles', rows.files);
  return ids;
}

async function procedureExtras(tx: Tx, procedureId: string): Promise<ProcedureExtras> {
  const [components, fees, p] = await Promise.all([
    tx.selectFrom('procedureComponents').select(['id', 'name', 'required', 'reusable']).where('procedureId', '=', procedureId).orderBy('sortOrder').execute(),
    tx.selectFrom('procedureFees').select(['id', 'name', 'amountVnd', 'payableOnline', 'payableWhen']).where('procedureId', '=', procedureId).orderBy('sortOrder').execute(),
    tx.selectFrom('procedures').select('resultDocuments').where('id', '=', procedureId).executeTakeFirstOrThrow(),
  ]);
  const first = (p.resultDocuments as { name?: string }[])[0];
  return { components, fees: fees.map((f) => ({ ...f, amountVnd: String(f.amountVnd) })), resultName: first?.name ?? null };
}

/**
 * The fee, payment and file rows of one written dossier, as the payment module and the paper
 * uploads would have left them at those dates (ids made here, so that they go in a few
 * statements per batch).
 */
function addExtras(
  rows: { snapshots: Rows<'dossierFeeSnapshots'>; fees: Rows<'dossierFees'>; payments: Rows<'payments'>; items: Rows<'paymentItems'>; files: Rows<'dossierFiles'> },
  dossierId: string, d: HistoryDossier, actions: readonly DossierAction[], x: ProcedureExtras, reusable: Map<string, { id: string; at: Date }>,
): void {
  const submitted = actions.find((a) => a.type === 'submit')?.at;
  const received = actions.find((a) => a.type === 'receive')?.at;
  if (d.fees && submitted) {
    rows.snapshots.push({ dossierId, takenAt: submitted });
    const items = x.fees.map((f, i) => ({
      id: randomUUID(), dossierId, procedureFeeId: f.id, sortOrder: i, name: f.name, amountVnd: f.amountVnd, payableOnline: f.payableOnline,
      payableWhen: f.payableWhen as 'before_reception', paymentId: null as string | null, settledAt: null as Date | null,
      exemptedAt: null as Date | null, exemptionReason: null as string | null,
    }));
    const due = items.filter((f) => Number(f.amountVnd) > 0);
    if (d.fees.exempted && received) {
      for (const f of due) Object.assign(f, { exemptedAt: received, exemptionReason: d.fees.exempted });
    } else {
      // One payment per stage (and per way of paying), just before the action it gates.
      for (const stage of ['before_reception', 'before_processing', 'before_result'] as const) {
        const i = actions.findIndex((a) => a.type === GATE[stage]);
        if (i <= 0) continue;
        const gate = actions[i]!.at;
        const prev = actions[i - 1]!.at;
        const mine = due.filter((f) => f.payableWhen === stage);
        const online = d.fees.method === 'cash' ? [] : mine.filter((f) => f.payableOnline);
        const cash = mine.filter((f) => !online.includes(f));
        for (const [method, list] of [[d.fees.method, online], ['cash', cash]] as const) {
          if (list.length === 0) continue;
          // Online: between the previous action and the gate (at most two hours before it); cash: at the counter, just before.
          const paidAt = new Date(method === 'cash' ? Math.max(prev.getTime(), gate.getTime() - 2 * MIN)
            : Math.max(prev.getTime(), gate.getTime() - Math.min((gate.getTime() - prev.getTime()) / 2, 120 * MIN)));
          const createdAt = new Date(Math.max(prev.getTime(), paidAt.getTime() - (method === 'cash' ? 0 : 3 * MIN)));
          const id = randomUUID();
          const amount = list.reduce((s, f) => s + Number(f.amountVnd), 0);
          const vnpay = method === 'vnpay';
          rows.payments.push({
            id, dossierId, agencyId: d.agencyId, method, status: 'paid', amountVnd: amount, paidOnline: method !== 'cash',
            // Completed with the sequence number once the batch's count is known.
            reference: `${method === 'vietqr' ? 'QR' : method === 'cash' ? 'TM' : ''}${gmt7(createdAt).slice(2, 8)}`,
            gateway: vnpay ? 'sandbox' : null, terminalCode: vnpay ? 'MOTCUA01' : null, gatewayCreateDate: vnpay ? gmt7(createdAt) : null,
            request: null, expiresAt: vnpay ? new Date(createdAt.getTime() + 15 * MIN) : null, createdBy: null, createdAt,
            paidAt, settledVia: vnpay ? 'ipn' : method === 'vietqr' ? 'statement' : 'counter',
            gatewayTxnNo: vnpay ? String(14_000_000 + (rows.payments.length % 1_000_000)) : null, bankCode: vnpay ? 'NCB' : null,
            responseCode: vnpay ? '00' : null, transactionStatus: vnpay ? '00' : null, lastQueryAt: null, updatedAt: paidAt,
          });
          for (const f of list) {
            f.paymentId = id;
            f.settledAt = paidAt;
            rows.items.push({ paymentId: id, dossierFeeId: f.id, amountVnd: f.amountVnd });
          }
        }
      }
    }
    rows.fees.push(...items);
  }
  const p = d.papers;
  if (!p) return;
  const file = (kind: 'component' | 'result', at: Date, name: string, componentId: string | null, reusedFrom: string | null = null) => {
    const id = randomUUID();
    rows.files.push({
      id, dossierId, componentId, componentName: componentId ? name : null, kind, blobSha256: p.blob.sha256,
      filename: `${name.replace(/[\\/:*?"<>|]/g, ' ').slice(0, 120).trim()}.pdf`, mime: p.blob.mime, size: p.blob.size,
      reusedFrom, uploadedBy: null, removedAt: null, createdAt: at,
    });
    return id;
  };
  const papersAt = d.channel === 'online' ? submitted : received;
  if (p.components && papersAt) {
    for (const c of x.components.filter((c) => c.required)) {
      const earlier = p.reuse && c.reusable ? reusable.get(c.id) : undefined;
      const id = file('component', papersAt, c.name, c.id, earlier && earlier.at < papersAt ? earlier.id : null);
      if (c.reusable) reusable.set(c.id, { id, at: papersAt });
    }
  }
  const approved = actions.find((a) => a.type === 'approve')?.at;
  if (p.result && approved && x.resultName) file('result', approved, x.resultName, null);
}

/**
 * Appends later actions to a dossier written before, and rewrites its projection, as
 * `appendAction` would have done at those dates.
 * @throws TransitionError when the actions do not follow from its current state.
 */
export async function appendHistory(db: Db, calendar: WorkingCalendar, dossierId: string, more: readonly HistoryAction[], codeFormat = '{agency}-{yyMMdd}-{seq4}'): Promise<void> {
  if (more.length === 0) return;
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('dossiers').select(['receivingAgencyId', 'durationValue', 'durationUnit', 'processId', 'lastSeq']).where('id', '=', dossierId).forUpdate().executeTakeFirstOrThrow();
    const steps = (await tx.selectFrom('processes').select('steps').where('id', '=', row.processId).executeTakeFirstOrThrow()).steps as Parameters<typeof deriveDossier>[0]['steps'];
    const agency = await tx.selectFrom('agencies').select(['id', 'code']).where('id', '=', row.receivingAgencyId).executeTakeFirstOrThrow();
    const old = await tx.selectFrom('dossierActions').select(['seq', 'type', 'at', 'payload']).where('dossierId', '=', dossierId).orderBy('seq').execute();
    const actions: DossierAction[] = old.map((a) => ({ seq: a.seq, type: a.type as ActionType, at: a.at, actorId: null, payload: a.payload }));
    const added: DossierAction[] = [];
    for (const a of more) {
      const payload = { ...(a.payload ?? {}) };
      if (a.type === 'receive') payload.code = await nextDossierCode(tx, agency, calendar.localDate(a.at), codeFormat);
      added.push({ seq: row.lastSeq + added.length + 1, type: a.type, at: a.at, actorId: null, payload });
    }
    const all = [...actions, ...added];
    const facts = { receivingAgencyId: row.receivingAgencyId, duration: { value: row.durationValue, unit: row.durationUnit }, steps };
    const view = deriveDossier(facts, all, calendar, all[all.length - 1]!.at);
    await tx.insertInto('dossierActions').values(added.map((a) => ({
      dossierId, seq: a.seq, type: a.type, at: a.at, actorId: null, actorName: 'dữ liệu mẫu', comment: null, payload: JSON.stringify(a.payload),
    }))).execute();
    await tx.updateTable('dossiers').set({ ...projection(view), updatedAt: all[all.length - 1]!.at }).where('id', '=', dossierId).execute();
  });
}

/** A small deterministic random source (mulberry32), so a seeded history is the same every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  /** Number of steps of the procedure's process (4 with the default process). */
  steps: number;
  /** Statutory time in working days. */
  days: number;
  /** No action after this instant (the dossier may stay open). */
  until: Date;
  /** Probabilities of the less common paths (defaults are realistic). */
  supplement?: number;
  secondSupplement?: number;
  refuse?: number;
  stop?: number;
  withdraw?: number;
  extend?: number;
  transferTo?: string;
  transfer?: number;
  /** Share of dossiers worked slowly (likely late). */
  slow?: number;
  /** How the result is returned. */
  returnMethod?: 'counter' | 'post' | 'online';
  rating?: 'satisfied' | 'neutral' | 'dissatisfied' | null;
}

/**
 * A plausible history for one dossier submitted at `submittedAt`: reception, the steps of the
 * process with the occasional supplement request, extension, transfer or early end, then the
 * result and a rating. Times are working time after each other; actions after `until` are cut,
 * which leaves the dossier open. Every history it makes is one the workflow allows.
 */
export function generateActions(random: () => number, calendar: WorkingCalendar, submittedAt: Date, o: GenerateOptions): HistoryAction[] {
  const out: HistoryAction[] = [];
  const perStep = (o.days * calendar.minutesPerDay) / Math.max(1, o.steps);
  const slow = random() < (o.slow ?? 0.05);
  let t = submittedAt;
  const later = (minutes: number) => {
    t = calendar.addWorkingMinutes(calendar.nextWorkingStart(t), Math.max(1, Math.round(minutes)));
    return t;
  };
  out.push({ type: 'submit', at: t });
  out.push({ type: 'receive', at: later(5 + random() * 60) });
  // The appointment, followed as the workflow moves it (an extension must be later than it).
  let due = calendar.addWorkingDays(t, o.days);
  let supplements = 0;
  for (let step = 0; step < o.steps; step++) {
    const spend = perStep * (slow ? 1.2 + random() * 1.5 : 0.2 + random() * 0.9);
    later(spend);
    const r = random();
    if (step > 0 && r < (o.supplement ?? 0.08) && supplements === 0) {
      supplements++;
      out.push({ type: 'request_supplement', at: t, payload: { reasons: ['Thiếu giấy tờ'] } });
      if (random() < (o.withdraw ?? 0.02) * 5) {
        out.push({ type: 'withdraw', at: later(calendar.minutesPerDay * (1 + random() * 3)) });
        break;
      }
      const asked = t;
      out.push({ type: 'supplement', at: later(calendar.minutesPerDay * (0.5 + random() * 4)) });
      due = calendar.extendForPause(due, asked, t);
      if (random() < (o.secondSupplement ?? 0.2)) {
        supplements++;
        const again = later(60);
        out.push({ type: 'request_supplement', at: again, payload: { reasons: ['Còn thiếu'] } });
        out.push({ type: 'supplement', at: later(calendar.minutesPerDay * (0.5 + random() * 2)) });
        due = calendar.extendForPause(due, again, t);
      }
    }
    if (random() < (o.extend ?? 0.02)) {
      const at = later(30);
      due = calendar.addWorkingDays(due > at ? due : at, 2 + Math.floor(random() * 5));
      out.push({ type: 'extend', at, payload: { newDueAt: due.toISOString() } });
    }
    if (o.transferTo && step === 1 && random() < (o.transfer ?? 0.05)) out.push({ type: 'transfer', at: later(30), payload: { toAgencyId: o.transferTo } });
    const end = random();
    if (step > 0 && end < (o.refuse ?? 0.03)) {
      out.push({ type: 'refuse', at: later(30), payload: { reasons: ['Không đủ điều kiện'] } });
      break;
    }
    if (step > 0 && end < (o.refuse ?? 0.03) + (o.stop ?? 0.01)) {
      out.push({ type: 'stop', at: later(30), payload: { reasons: ['Dừng theo đề nghị'] } });
      break;
    }
    if (end > 1 - (o.withdraw ?? 0.02)) {
      out.push({ type: 'withdraw', at: later(30) });
      break;
    }
    if (step < o.steps - 1) out.push({ type: 'forward', at: later(10) });
    else {
      out.push({ type: 'approve', at: later(10) });
      out.push({ type: 'mark_result_ready', at: later(30 + random() * 120) });
      out.push({ type: 'return_result', at: later(random() * calendar.minutesPerDay * 2), payload: { method: o.returnMethod ?? 'counter' } });
      if (o.rating !== null) {
        const score = o.rating ?? (random() < 0.9 ? 'satisfied' : random() < 0.5 ? 'neutral' : 'dissatisfied');
        out.push({ type: 'rate', at: later(60 + random() * 600), payload: { score, comment: null } });
      }
    }
  }
  return out.filter((a) => a.at.getTime() <= o.until.getTime());
}
