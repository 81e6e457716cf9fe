/**
 * The e-receipt (biên lai thu phí, lệ phí điện tử) of a settled payment, as an A4 PDF laid out
 * like the one-stop forms: it reuses the documents module's page set-up and Tinos fonts, so that
 * Vietnamese prints correctly. Pure: data in, bytes out; the same row gives the same file.
 */
import { documentHeader, field, finishDocument, signOff, startDocument, title } from '../documents/common.ts';
import { formatDateTimeLong, formatVnd } from '../documents/index.ts';

export interface ReceiptData {
  code: string;
  issuedAt: Date;
  agency: { name: string; parentName?: string };
  payerName: string;
  dossierCode: string | null;
  procedureName: string;
  items: { name: string; amountVnd: number }[];
  amountVnd: number;
  method: 'vnpay' | 'vietqr' | 'cash';
  reference: string;
  gatewayTxnNo: string | null;
  paidAt: Date;
  sandbox: boolean;
}

const METHOD = {
  vnpay: 'Thanh toán trực tuyến qua cổng VNPay',
  vietqr: 'Chuyển khoản ngân hàng (VietQR, NAPAS 247)',
  cash: 'Tiền mặt tại Bộ phận tiếp nhận và trả kết quả',
} as const;

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** 0–999 in words; `full` keeps "không trăm" for a group after a higher one. */
function hundreds(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (h > 0 || full) out.push(`${DIGITS[h]} trăm`);
  if (t > 1) out.push(`${DIGITS[t]} mươi`);
  else if (t === 1) out.push('mười');
  else if (u > 0 && (h > 0 || full)) out.push('lẻ');
  if (u > 0) out.push(u === 5 && t > 0 ? 'lăm' : u === 1 && t > 1 ? 'mốt' : u === 4 && t > 1 ? 'tư' : DIGITS[u]!);
  return out.join(' ');
}

/** An amount of đồng in Vietnamese words, as receipts print it ("Một trăm nghìn đồng"). */
export function amountInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('invalid amount');
  if (amount === 0) return 'Không đồng';
  const units = ['', ' nghìn', ' triệu', ' tỷ', ' nghìn tỷ', ' triệu tỷ'];
  const groups: number[] = [];
  for (let n = amount; n > 0; n = Math.floor(n / 1000)) groups.push(n % 1000);
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    parts.push(hundreds(g, i < groups.length - 1) + units[i]);
  }
  const text = `${parts.join(' ')} đồng`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Renders the receipt. @throws RangeError for an invalid date or amount. */
export async function renderReceipt(d: ReceiptData): Promise<Uint8Array> {
  const w = await startDocument({ title: `Biên lai thu phí, lệ phí ${d.code}`, agency: d.agency, date: d.issuedAt, subject: d.procedureName });
  documentHeader(w, { agency: d.agency, issuedAt: d.issuedAt, number: d.code });
  title(w, 'Biên lai thu phí, lệ phí', [[{ text: '(Biên lai điện tử)', style: 'italic' }]]);
  if (d.sandbox) w.paragraph([{ text: 'THỬ NGHIỆM — thanh toán qua cổng thử nghiệm, không có giá trị thanh toán thật.', style: 'bold' }], { align: 'center', size: 11 });
  field(w, 'Người nộp', d.payerName, { bold: true });
  field(w, 'Mã hồ sơ', d.dossierCode ?? 'chưa cấp (nộp trước khi tiếp nhận)');
  field(w, 'Thủ tục', d.procedureName);
  w.space(4);
  w.table(
    [
      { header: 'TT', weight: 8, align: 'center' },
      { header: 'Khoản thu', weight: 64 },
      { header: 'Số tiền', weight: 28, align: 'right' },
    ],
    [
      ...d.items.map((it, i) => [String(i + 1), it.name, formatVnd(it.amountVnd)]),
      ['', [{ text: 'Tổng cộng', style: 'bold' }], [{ text: formatVnd(d.amountVnd), style: 'bold' }]],
    ],
    { size: 11 },
  );
  w.space(4);
  field(w, 'Số tiền bằng chữ', amountInWords(d.amountVnd));
  field(w, 'Hình thức thanh toán', METHOD[d.method]);
  field(w, 'Mã giao dịch', d.gatewayTxnNo ? `${d.reference} (mã của ngân hàng/cổng: ${d.gatewayTxnNo})` : d.reference);
  field(w, 'Thời điểm thanh toán', formatDateTimeLong(d.paidAt));
  signOff(w, { title: 'Đơn vị thu', name: d.agency.name }, undefined, '(Biên lai điện tử, không cần chữ ký tay)');
  return finishDocument(w);
}
