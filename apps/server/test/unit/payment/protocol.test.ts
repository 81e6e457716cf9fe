import { describe, expect, it } from 'vitest';
import { VNPay, ignoreLogger } from 'vnpay';
import { buildPaymentUrlSearchParams, calculateSecureHash } from 'vnpay/utils';
import { amountMatches, crc16, parseVnpayTime, signParams, verifySignature, VnpayGateway, vnpayTime } from '../../../src/adapters/payment/index.ts';
import { gateFor } from '../../../src/modules/payment/index.ts';
import { amountInWords } from '../../../src/modules/payment/receipt-pdf.ts';
import { parseAmount, readStatement, squash } from '../../../src/modules/payment/statements.ts';

const SECRET = 'TESTSECRETTESTSECRETTESTSECRET12';
const gateway = new VnpayGateway({ id: 'vnpay', tmnCode: 'TESTTMN1', hashSecret: SECRET, payUrl: 'https://pay.example/paymentv2/vpcpay.html', queryDrUrl: 'https://pay.example/q', returnUrl: 'https://dvc.example/thanh-toan/ket-qua', timeoutMs: 1000 });
const oracle = new VNPay({ tmnCode: 'TESTTMN1', secureSecret: SECRET, vnpayHost: 'https://pay.example', loggerFn: ignoreLogger });

describe('VNPay signing, against the vnpay package', () => {
  const createdAt = new Date('2026-03-02T03:04:05Z');
  const req = { reference: '26030200000042', amountVnd: 125_000, orderInfo: 'Thanh toan phi ho so 000.00.12.H56-260302-0001', ipAddr: '203.0.113.9', createdAt, expiresAt: new Date(createdAt.getTime() + 15 * 60_000), locale: 'vn' as const };

  it('builds byte for byte the URL the package builds, and the package verifies ours', () => {
    const ours = gateway.paymentUrl(req);
    const theirs = oracle.buildPaymentUrl({
      vnp_Amount: 125_000, vnp_IpAddr: req.ipAddr, vnp_TxnRef: req.reference, vnp_OrderInfo: req.orderInfo, vnp_OrderType: 'other' as never,
      vnp_ReturnUrl: 'https://dvc.example/thanh-toan/ket-qua', vnp_CreateDate: 20260302100405, vnp_ExpireDate: 20260302101905, vnp_Locale: 'vn' as never,
    });
    expect(ours.url).toBe(theirs);
    expect(ours.params).toMatchObject({ vnp_Amount: '12500000', vnp_CreateDate: '20260302100405', vnp_ExpireDate: '20260302101905' });
    expect(oracle.verifyIpnCall(Object.fromEntries(new URL(ours.url).searchParams) as never).isVerified).toBe(true);
  });

  it('accepts what the package signs, in any order, and refuses any change', () => {
    const params = { vnp_TxnRef: '1', vnp_Amount: '100', vnp_OrderInfo: "Phí (lệ phí) 'đặc biệt' ~!*", vnp_ResponseCode: '00', vnp_TmnCode: 'TESTTMN1', vnp_TransactionStatus: '00' };
    const hash = calculateSecureHash({ secureSecret: SECRET, data: buildPaymentUrlSearchParams(params).toString(), hashAlgorithm: 'SHA512' as never, bufferEncode: 'utf-8' });
    expect(signParams(params, SECRET)).toBe(hash);
    expect(verifySignature(params, SECRET, hash)).toBe(true);
    expect(verifySignature(params, SECRET, hash.toUpperCase())).toBe(true);
    expect(verifySignature({ ...params, vnp_Amount: '1000' }, SECRET, hash)).toBe(false);
    expect(verifySignature(params, SECRET, hash.slice(2))).toBe(false);
    expect(verifySignature(params, `${SECRET}x`, hash)).toBe(false);
    expect(gateway.verifyCallback({ ...params, vnp_SecureHash: hash })).toMatchObject({ ok: true });
    expect(gateway.verifyCallback({ ...params, vnp_SecureHash: [hash, hash] })).toEqual({ ok: false, reason: 'malformed' });
    // The encoding of VNPay's Node/PHP samples (encodeURIComponent) is accepted too.
    const sample = Object.keys(params).sort().map((k) => `${k}=${encodeURIComponent((params as Record<string, string>)[k]!).replace(/%20/g, '+')}`).join('&');
    const sampleHash = calculateSecureHash({ secureSecret: SECRET, data: sample, hashAlgorithm: 'SHA512' as never, bufferEncode: 'utf-8' });
    expect(sampleHash).not.toBe(hash);
    expect(verifySignature(params, SECRET, sampleHash)).toBe(true);
  });

  it('writes times in GMT+7 and compares amounts exactly', () => {
    expect(vnpayTime(new Date('2026-12-31T17:30:00Z'))).toBe('20270101003000');
    expect(parseVnpayTime('20270101003000')?.toISOString()).toBe('2026-12-31T17:30:00.000Z');
    expect(parseVnpayTime('20260230120000')).toBeNull();
    expect(amountMatches('12500000', 125_000)).toBe(true);
    for (const bad of ['12500001', '125000', '012500000', '12500000.00', '1.25e7', '', ' 12500000']) expect(amountMatches(bad, 125_000), bad).toBe(false);
  });
});

describe('fees, receipts, statements', () => {
  it('gates receive, forward out of the first step, and return_result', () => {
    const before = (status: string, stepIndex: number | null) => ({ view: { status, stepIndex } }) as never;
    expect(gateFor({ type: 'receive', before: before('submitted', null) })?.stages).toEqual(['before_reception']);
    expect(gateFor({ type: 'forward', before: before('processing', 0) })?.stages).toEqual(['before_reception', 'before_processing']);
    expect(gateFor({ type: 'forward', before: before('processing', 1) })).toBeNull();
    expect(gateFor({ type: 'return_result', before: before('result_ready', 3) })?.stages).toHaveLength(3);
    expect(gateFor({ type: 'claim', before: before('processing', 0) })).toBeNull();
  });

  it('writes amounts in Vietnamese words', () => {
    expect(amountInWords(120_000)).toBe('Một trăm hai mươi nghìn đồng');
    expect(amountInWords(15_000)).toBe('Mười lăm nghìn đồng');
    expect(amountInWords(1_005_021)).toBe('Một triệu không trăm lẻ năm nghìn không trăm hai mươi mốt đồng');
    expect(amountInWords(2_000_000_000)).toBe('Hai tỷ đồng');
  });

  it('reads bank amounts and texts as banks write them', async () => {
    expect([parseAmount('150.000'), parseAmount('150,000'), parseAmount('150000 VND'), parseAmount('(50.000)'), parseAmount('-50,000'), parseAmount(30000), parseAmount('12,5')])
      .toEqual([150000, 150000, 150000, -50000, -50000, 30000, null]);
    expect(squash('HS 000.00.12.H56-260302-0001 Nguyễn Văn Ân')).toBe('HS0000012H562603020001NGUYENVANAN');
    const s = await readStatement(Buffer.from('Date,Description,Credit\n2026-03-02,"Chuyen khoan, phi",200000\n'));
    expect(s.lines).toEqual([{ rowNo: 2, bookedOn: '2026-03-02', amountVnd: 200000, description: 'Chuyen khoan, phi', bankRef: null }]);
    await expect(readStatement(Buffer.from('a,b\n1,2\n'))).rejects.toThrow(/header/);
  });

  it('checks the EMVCo CRC the QR ends with', () => {
    expect(crc16('123456789')).toBe('29B1');
  });
});
