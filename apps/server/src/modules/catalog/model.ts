import type {
  ApplicantType, ComponentForm, FeeItem, OnlineForm, OnlineLevel, ProcedureLevel, ProcedureMethod, ProcessingTime, ResultDocument,
} from '@motcua/contracts';
import { ApplicantType as ApplicantTypes, ProcedureLevel as Levels, ProcedureMethod as Methods } from '@motcua/contracts';
import { canonicalJson } from '../audit/index.ts';

/** A dossier component as compared, diffed and exported (no ids: those are storage details). */
export interface ComponentSnapshot {
  name: string;
  form: ComponentForm;
  quantity: number;
  required: boolean;
  reusable: boolean;
  /** Uploaded template, by content hash; not part of imports and exports. */
  template: { sha256: string; filename: string } | null;
}

/**
 * Everything an official edits in a procedure, with agencies and field named by their codes:
 * history diffs, import comparisons and exports all work on this one shape, so "unchanged"
 * means the same thing everywhere.
 */
export interface ProcedureSnapshot {
  code: string;
  name: string;
  fieldCode: string;
  receivingAgencies: string[];
  resolvingAgencies: string[];
  levels: ProcedureLevel[];
  applicants: ApplicantType[];
  steps: string;
  methods: ProcedureMethod[];
  onlineLevel: OnlineLevel;
  processingTime: ProcessingTime;
  legalBasis: string;
  resultDocuments: ResultDocument[];
  onlineForm: OnlineForm | null;
  components: ComponentSnapshot[];
  fees: FeeItem[];
  published: boolean;
}

export type SnapshotKey = keyof ProcedureSnapshot;

/** Sorts a set of enum values into the order the enum declares, without duplicates. */
function ordered<T extends string>(values: readonly T[], order: readonly T[]): T[] {
  const set = new Set(values);
  return order.filter((v) => set.has(v));
}

/** Line breaks as `\n`, no trailing spaces on lines, no surrounding blank lines. */
export function normaliseText(s: string): string {
  return s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd()).join('\n').trim().normalize('NFC');
}

/** Brings a snapshot to its canonical form (sorted sets, normalised text). */
export function canonicalSnapshot(s: ProcedureSnapshot): ProcedureSnapshot {
  return {
    ...s,
    name: normaliseText(s.name),
    steps: normaliseText(s.steps),
    legalBasis: normaliseText(s.legalBasis),
    receivingAgencies: [...new Set(s.receivingAgencies)].sort(),
    resolvingAgencies: [...new Set(s.resolvingAgencies)].sort(),
    levels: ordered(s.levels, Levels.options),
    applicants: ordered(s.applicants, ApplicantTypes.options),
    methods: ordered(s.methods, Methods.options),
    resultDocuments: s.resultDocuments.map((r) => ({ name: normaliseText(r.name), paper: r.paper, electronic: r.electronic })),
    components: s.components.map((c) => ({ ...c, name: normaliseText(c.name) })),
    fees: s.fees.map((f) => ({ ...f, name: normaliseText(f.name), exemptions: f.exemptions ? normaliseText(f.exemptions) : null })),
  };
}

export type Diff = Record<string, { from?: unknown; to: unknown }>;

/** Fields whose value differs between two snapshots, as `{field: {from, to}}`; `keys` limits the comparison. */
export function diffSnapshots(before: ProcedureSnapshot, after: ProcedureSnapshot, keys?: readonly SnapshotKey[]): Diff {
  const diff: Diff = {};
  for (const k of keys ?? (Object.keys(after) as SnapshotKey[])) {
    if (canonicalJson(before[k]) !== canonicalJson(after[k])) diff[k] = { from: before[k], to: after[k] };
  }
  return diff;
}

/** A creation's history entry: every field with its first value. */
export function creationDiff(s: ProcedureSnapshot): Diff {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { to: v }]));
}

/** Keys compared by an import (templates and publication by file are handled on their own). */
export const IMPORT_KEYS: readonly SnapshotKey[] = [
  'name', 'fieldCode', 'receivingAgencies', 'resolvingAgencies', 'levels', 'applicants', 'steps', 'methods', 'onlineLevel',
  'processingTime', 'legalBasis', 'resultDocuments', 'onlineForm', 'components', 'fees', 'published',
];

/** The snapshot without template details, as a spreadsheet carries it. */
export function withoutTemplates(s: ProcedureSnapshot): ProcedureSnapshot {
  return { ...s, components: s.components.map((c) => ({ ...c, template: null })) };
}

export interface SearchTerms {
  /** The query as typed, trimmed and NFC-normalised (words are split in SQL, like the indexed text). */
  raw: string;
  /** The query is a procedure code or the start of one (`1.0016`, `2.000123.000`). */
  codeLike: boolean;
}

/**
 * Reads the search box: null when it is empty. Text without a searchable word (punctuation,
 * other scripts) is still a query, one that finds nothing.
 */
export function parseSearch(q: string | undefined): SearchTerms | null {
  const raw = (q ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').slice(0, 200);
  if (!raw) return null;
  return { raw, codeLike: /^\d\.[0-9A-Za-z.]*$/.test(raw) };
}

/** One query word and the indexed words it stands for. */
export interface WordGroup {
  word: string;
  /** Lexicon words that count as this word: itself, words it starts (the last word), near spellings. */
  matches: string[];
}

export interface Candidate {
  word: string;
  kind: 'exact' | 'prefix' | 'fuzzy';
  similarity: number;
}

/** Least trigram similarity for a lexicon word to stand in for a misspelt query word. */
export const FUZZY_MIN = 0.45;

/**
 * Chooses what each query word matches, from the lexicon candidates SQL found for it: the word
 * itself when it exists; words it is the start of when it is the last word (still being typed)
 * or does not exist; near spellings only when neither, so that valid words are not blurred
 * ("dan" stays "dan", "doan" finds "doanh", "phepp" finds "phep").
 */
export function chooseMatches(word: string, isLast: boolean, candidates: readonly Candidate[]): string[] {
  const exact = candidates.some((c) => c.kind === 'exact');
  const prefix = candidates.filter((c) => c.kind === 'prefix').map((c) => c.word);
  const out = exact ? [word] : [];
  if (isLast || !exact) out.push(...prefix);
  if (out.length === 0) out.push(...candidates.filter((c) => c.kind === 'fuzzy' && c.similarity >= FUZZY_MIN).map((c) => c.word));
  return [...new Set(out)];
}

/** Words that must be found for a query of `n` words: all, or when relaxing, two thirds (at least two). */
export const relaxedMinimum = (n: number) => Math.max(2, Math.ceil((2 * n) / 3));
