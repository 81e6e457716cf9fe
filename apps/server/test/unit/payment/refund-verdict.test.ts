import { describe, expect, it } from 'vitest';
import type { QueryOutcome } from '../../../src/adapters/payment/index.ts';
import { vnpayTime } from '../../../src/adapters/payment/index.ts';
import { judgeRefundAnswer } from '../../../src/modules/payment/index.ts';

const requestedAt = new Date('2026-03-02T03:00:00Z');
const payment = { amountVnd: 120_000 };
const refund = (o: Partial<Extract<QueryOutcome, { kind: 'refund' }>> = {}): QueryOutcome => ({
  kind: 'refund', transactionType: '03', transactionStatus: '05', amountX100: '4000000', transactionNo: '14000123', payDate: vnpayTime(new Date(requestedAt.getTime() + 1000)), raw: {}, ...o,
});
const part = { amountVnd: 40_000, requestedAt };
const whole = { amountVnd: 120_000, requestedAt };

describe('reading QueryDR for an unanswered refund', () => {
  it('05 and 06 accept, 09 refuses, a partial refund by type 03 and a whole one by 02', () => {
    expect(judgeRefundAnswer(refund(), part, payment, [], [])).toMatchObject({ kind: 'accepted', transactionStatus: '05', transactionNo: '14000123' });
    expect(judgeRefundAnswer(refund({ transactionStatus: '06' }), part, payment, [], [])).toMatchObject({ kind: 'accepted' });
    expect(judgeRefundAnswer(refund({ transactionStatus: '09' }), part, payment, [], [])).toMatchObject({ kind: 'refused' });
    expect(judgeRefundAnswer(refund({ transactionType: '02', amountX100: '12000000' }), whole, payment, [], [])).toMatchObject({ kind: 'accepted' });
    expect(judgeRefundAnswer(refund({ transactionType: '02', amountX100: '12000000' }), part, payment, [], [])).toMatchObject({ kind: 'mismatch' });
    expect(judgeRefundAnswer(refund({ transactionType: '03' }), whole, payment, [], [])).toMatchObject({ kind: 'mismatch' });
    expect(judgeRefundAnswer(refund({ transactionStatus: '02' }), part, payment, [], [])).toMatchObject({ kind: 'mismatch' });
  });

  it('the amount, when VNPay gives the refund\'s, must be ours; the payment\'s own amount or none says nothing', () => {
    expect(judgeRefundAnswer(refund({ amountX100: '3000000' }), part, payment, [], [])).toMatchObject({ kind: 'mismatch', detail: 'amount 3000000' });
    expect(judgeRefundAnswer(refund({ amountX100: '12000000' }), part, payment, [], [])).toMatchObject({ kind: 'accepted' });
    expect(judgeRefundAnswer(refund({ amountX100: '' }), part, payment, [], [])).toMatchObject({ kind: 'accepted' });
  });

  it('an earlier refund (known number, or dated before the request) is not ours; the payment untouched is no refund', () => {
    expect(judgeRefundAnswer(refund(), part, payment, [], ['14000123'])).toEqual({ kind: 'no_refund' });
    expect(judgeRefundAnswer(refund({ payDate: vnpayTime(new Date(requestedAt.getTime() - 3_600_000)) }), part, payment, [], [])).toEqual({ kind: 'no_refund' });
    expect(judgeRefundAnswer({ kind: 'paid', amountX100: '12000000', transactionNo: '1', bankCode: 'NCB', payDate: null, raw: {} }, part, payment, [], [])).toEqual({ kind: 'no_refund' });
  });

  it('two open requests the answer could belong to are left for an official', () => {
    expect(judgeRefundAnswer(refund({ amountX100: '' }), part, payment, [{ amountVnd: 30_000 }], [])).toMatchObject({ kind: 'ambiguous' });
    expect(judgeRefundAnswer(refund(), part, payment, [{ amountVnd: 40_000 }], [])).toMatchObject({ kind: 'ambiguous' });
    // The amount tells them apart.
    expect(judgeRefundAnswer(refund(), part, payment, [{ amountVnd: 30_000 }], [])).toMatchObject({ kind: 'accepted' });
  });

  it('no usable answer, not found or an unpaid payment settle nothing', () => {
    expect(judgeRefundAnswer({ kind: 'unknown', reason: 'transport: timeout' }, part, payment, [], [])).toEqual({ kind: 'no_answer', detail: 'transport: timeout' });
    expect(judgeRefundAnswer({ kind: 'not_found', raw: {} }, part, payment, [], [])).toMatchObject({ kind: 'not_found' });
    expect(judgeRefundAnswer({ kind: 'pending', raw: {} }, part, payment, [], [])).toMatchObject({ kind: 'mismatch' });
  });
});
