import { create as createQr } from 'qrcode';
import {
  applicantFields,
  documentHeader,
  field,
  finishDocument,
  signaturePair,
  startDocument,
  title,
} from './common.ts';
import { formatCount, formatDateTimeLong, formatVnd } from './format.ts';
import { COMPONENT_FORM_LABELS, resultDeliveryText } from './labels.ts';
import type { Writer } from './layout.ts';
import type { FeeStatus, ReceiptSlipData } from './types.ts';

const COPIES = ['Liên 1: Giao người nộp hồ sơ', 'Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả'];

/**
 * Form 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, in two copies (liên): each copy starts on
 * a page of its own (one page each unless the component list is very long).
 * @throws RangeError when a date is invalid or an amount is not finite.
 * @throws Error from `qrcode` when `statusUrl` is too long for a QR code (about 2,300 characters).
 */
export async function renderReceiptSlip(data: ReceiptSlipData): Promise<Uint8Array> {
  // Slightly tighter than the notices so that a copy with a usual component list fits a page.
  const w = await startDocument(
    {
      title: `Giấy tiếp nhận hồ sơ và hẹn trả kết quả ${data.dossierCode}`,
      subject: data.procedureName,
      agency: data.agency,
      date: data.issuedAt,
    },
    { leading: 1.2 },
  );
  // The QR matrix is computed once; M recovers from 15% damage, enough for a folded slip.
  const qr = createQr(data.statusUrl, { errorCorrectionLevel: 'M' });
  COPIES.forEach((copy, i) => {
    if (i > 0) w.addPage();
    drawCopy(w, data, copy, qr.modules);
  });
  return finishDocument(w);
}

type QrModules = Parameters<Writer['qr']>[0];

const QR_SIDE = 84;

function drawCopy(w: Writer, d: ReceiptSlipData, copy: string, qr: QrModules): void {
  documentHeader(w, d);
  title(w, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', [
    [{ text: 'Mã hồ sơ: ' }, { text: d.dossierCode, style: 'bold' }],
    [{ text: `(${copy})`, style: 'italic' }],
  ]);
  // The QR code of the public status page floats at the right of the applicant's details.
  const qrTop = w.y;
  w.qr(qr, w.right - QR_SIDE, qrTop, QR_SIDE);
  w.block('Quét mã để tra cứu hồ sơ', w.right - QR_SIDE - 10, qrTop - QR_SIDE, QR_SIDE + 20, {
    size: 9,
    style: 'italic',
    align: 'center',
  });
  w.inset = QR_SIDE + 12;
  const unit = d.receivingUnit ?? d.agency.name;
  field(w, 'Bộ phận tiếp nhận và trả kết quả', unit);
  applicantFields(w, d.applicant, 'Tiếp nhận hồ sơ của');
  w.inset = 0;
  w.y = Math.min(w.y, qrTop - QR_SIDE - 14);
  field(w, 'Nội dung yêu cầu giải quyết', d.procedureName, { bold: true });

  w.paragraph('1. Thành phần hồ sơ nộp gồm:');
  w.space(2);
  w.table(
    [
      { header: 'TT', weight: 7, align: 'center' },
      { header: 'Tên giấy tờ', weight: 55 },
      { header: 'Hình thức (bản chính, bản sao chứng thực, bản sao)', weight: 25, align: 'center' },
      { header: 'Số lượng', weight: 13, align: 'center' },
    ],
    d.components.map((c, i) => [String(i + 1), c.name, COMPONENT_FORM_LABELS[c.form], formatCount(c.quantity)]),
    { size: 11 },
  );
  w.space(4);
  field(w, '2. Số lượng hồ sơ', `${formatCount(d.sets)} (bộ)`);
  field(w, '3. Thời gian giải quyết hồ sơ theo quy định', d.statutoryTime);
  field(w, '4. Thời gian nhận hồ sơ', formatDateTimeLong(d.receivedAt));
  field(w, '5. Thời gian trả kết quả giải quyết hồ sơ', formatDateTimeLong(d.appointmentAt), { bold: true });
  field(w, '6. Đăng ký nhận kết quả tại', resultDeliveryText(d.resultDelivery, unit));
  field(w, '7. Phí, lệ phí', feeText(d.fee));
  if (d.registerEntry) {
    w.paragraph(
      `Vào Sổ theo dõi hồ sơ, Quyển số: ${d.registerEntry.book}, Số thứ tự: ${d.registerEntry.sequence}`,
      { style: 'italic' },
    );
  }
  signaturePair(
    w,
    { title: 'Người nộp hồ sơ', name: d.applicant.name },
    { title: 'Người tiếp nhận hồ sơ', name: d.officer.name },
    50,
  );
  w.space(8);
  w.paragraph(
    [
      { text: 'Tra cứu tình trạng hồ sơ: ', style: 'bold' },
      { text: d.statusUrl, style: 'italic' },
      { text: ' — Đường dây nóng: ', style: 'bold' },
      { text: d.hotline },
    ],
    { size: 10.5, leading: 1.2 },
  );
}

function feeText(fee: FeeStatus): string {
  if (fee.amount === 0) return 'Không thu phí, lệ phí';
  const state = fee.paid
    ? `đã nộp${fee.receiptNumber ? `, biên lai số ${fee.receiptNumber}` : ''}`
    : 'chưa nộp';
  return `${formatVnd(fee.amount)} (${state})`;
}
