import { describe, expect, it } from 'vitest';
import {
  canonicalSnapshot, chooseMatches, creationDiff, diffSnapshots, normaliseText, parseSearch, relaxedMinimum, type ProcedureSnapshot,
} from '../../../src/modules/catalog/model.ts';

const base: ProcedureSnapshot = {
  code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh', fieldCode: 'HO_KINH_DOANH',
  receivingAgencies: ['000.01.02.H56', '000.01.01.H56'], resolvingAgencies: ['000.01.01.H56'],
  levels: ['commune'], applicants: ['citizen'], steps: 'Bước 1\r\nBước 2  ', methods: ['post', 'online', 'in_person'],
  onlineLevel: 'full', processingTime: { value: 3, unit: 'working_days' }, legalBasis: 'Nghị định 168/2025/NĐ-CP',
  resultDocuments: [{ name: 'Giấy chứng nhận', paper: true, electronic: true }], onlineForm: { schema: { type: 'object', b: 1, a: 2 }, uiSchema: {} },
  components: [], fees: [{ name: 'Lệ phí', amountVnd: 100_000, exemptions: null, payableOnline: true, when: 'before_reception' }], published: true,
};

describe('search box parsing', () => {
  it('keeps text and drops empty queries', () => {
    expect(parseSearch(undefined)).toBeNull();
    expect(parseSearch('   ')).toBeNull();
    expect(parseSearch('%_\\ ;--')).toEqual({ raw: '%_\\ ;--', codeLike: false });
    expect(parseSearch('  đăng   ký  ')).toEqual({ raw: 'đăng ký', codeLike: false });
  });
  it('recognises procedure codes and their beginnings', () => {
    expect(parseSearch('1.001612')?.codeLike).toBe(true);
    expect(parseSearch('2.000123.000.00.00.H56')?.codeLike).toBe(true);
    expect(parseSearch('1.0016')?.codeLike).toBe(true);
    expect(parseSearch('1 giấy')?.codeLike).toBe(false);
  });
  it('normalises decomposed Vietnamese (NFD) to NFC', () => {
    expect(parseSearch('đăng ký'.normalize('NFD'))?.raw).toBe('đăng ký');
  });
});

describe('choosing what a query word matches', () => {
  const exact = { word: 'doan', kind: 'exact' as const, similarity: 1 };
  const prefix = { word: 'doanh', kind: 'prefix' as const, similarity: 0 };
  const fuzzy = (word: string, similarity: number) => ({ word, kind: 'fuzzy' as const, similarity });
  it('a word that exists matches itself, and its continuations only while it is being typed', () => {
    expect(chooseMatches('doan', false, [exact, prefix])).toEqual(['doan']);
    expect(chooseMatches('doan', true, [exact, prefix])).toEqual(['doan', 'doanh']);
  });
  it('an unknown word matches the words it starts, else its near spellings above the threshold', () => {
    expect(chooseMatches('doan', false, [prefix])).toEqual(['doanh']);
    expect(chooseMatches('phepp', false, [fuzzy('phep', 0.57), fuzzy('phe', 0.3)])).toEqual(['phep']);
    expect(chooseMatches('xyzw', false, [])).toEqual([]);
  });
  it('relaxed search needs two thirds of the words, at least two', () => {
    expect([3, 4, 5, 6, 9].map(relaxedMinimum)).toEqual([2, 3, 4, 4, 6]);
  });
});

describe('snapshots and diffs', () => {
  it('canonical form sorts sets and normalises text', () => {
    const c = canonicalSnapshot(base);
    expect(c.receivingAgencies).toEqual(['000.01.01.H56', '000.01.02.H56']);
    expect(c.methods).toEqual(['in_person', 'online', 'post']);
    expect(c.steps).toBe('Bước 1\nBước 2');
    expect(normaliseText('  a \r\n b\t \n')).toBe('a\n b');
  });
  it('diffs only what changed, whatever the key order of JSON values', () => {
    const a = canonicalSnapshot(base);
    const b = canonicalSnapshot({ ...base, onlineForm: { schema: { a: 2, b: 1, type: 'object' }, uiSchema: {} }, methods: ['in_person', 'online', 'post'] });
    expect(diffSnapshots(a, b)).toEqual({});
    const c = canonicalSnapshot({ ...base, processingTime: { value: 5, unit: 'working_days' } });
    expect(diffSnapshots(a, c)).toEqual({ processingTime: { from: { value: 3, unit: 'working_days' }, to: { value: 5, unit: 'working_days' } } });
    expect(Object.keys(creationDiff(a))).toContain('fees');
  });
});
