import {
  cellDateTime,
  documentHeader,
  field,
  finishDocument,
  numberPagesFromSecond,
  startDocument,
  title,
} from './common.ts';
import { formatDateTimeLong } from './format.ts';
import { STEP_RESULT_LABELS } from './labels.ts';
import type { ProcessControlSlipData } from './types.ts';

/**
 * Form 06 Phiếu kiểm soát quá trình giải quyết hồ sơ: the dossier's header, then one table
 * row per hand-over (step, giver, receiver, time, due time, early/on time/late, comment);
 * the table continues on further pages with its header repeated.
 * @throws RangeError when a date is invalid.
 */
export async function renderProcessControlSlip(d: ProcessControlSlipData): Promise<Uint8Array> {
  const w = await startDocument({
    title: `Phiếu kiểm soát quá trình giải quyết hồ sơ ${d.dossierCode}`,
    subject: d.procedureName,
    agency: d.agency,
    date: d.issuedAt,
  });
  documentHeader(w, d);
  title(w, 'Phiếu kiểm soát quá trình giải quyết hồ sơ', [
    [{ text: 'Mã hồ sơ: ' }, { text: d.dossierCode, style: 'bold' }],
  ]);
  field(w, 'Thủ tục hành chính', d.procedureName, { bold: true });
  field(w, 'Người nộp hồ sơ', d.applicant.name);
  field(w, 'Địa chỉ', d.applicant.address);
  if (d.applicant.phone) field(w, 'Số điện thoại', d.applicant.phone);
  field(w, 'Thời gian nhận hồ sơ', formatDateTimeLong(d.receivedAt));
  field(w, 'Thời gian hẹn trả kết quả', formatDateTimeLong(d.appointmentAt), { bold: true });
  field(w, 'Cơ quan (bộ phận) giải quyết hồ sơ', d.leadAgency);
  field(w, 'Cơ quan phối hợp giải quyết hồ sơ', d.coordinatingAgencies?.join('; '));
  w.space(6);
  w.table(
    [
      { header: 'TT', weight: 5, align: 'center' },
      { header: 'Bước xử lý', weight: 15 },
      { header: 'Bên giao', weight: 15.5 },
      { header: 'Bên nhận', weight: 15.5 },
      { header: 'Thời gian giao, nhận', weight: 12.5, align: 'center' },
      { header: 'Hạn xử lý', weight: 12.5, align: 'center' },
      { header: 'Kết quả', weight: 10, align: 'center' },
      { header: 'Ghi chú', weight: 14 },
    ],
    d.steps.map((s, i) => [
      String(i + 1),
      s.step,
      s.from,
      s.to,
      cellDateTime(s.handedOverAt),
      cellDateTime(s.dueAt),
      s.result ? [{ text: STEP_RESULT_LABELS[s.result], style: s.result === 'late' ? 'bold' : 'regular' }] : '',
      s.comment ?? '',
    ]),
    { size: 10, headerSize: 10, padding: 2.5 },
  );
  w.space(4);
  w.paragraph('Kết quả: Trước hạn / Đúng hạn / Quá hạn, so với hạn xử lý của từng bước.', {
    size: 10.5,
    style: 'italic',
  });
  numberPagesFromSecond(w);
  return finishDocument(w);
}
