/**
 * The one-page notices sent to the applicant: forms 02 (supplement request), 03 (refusal),
 * 04 (apology and new appointment) and 05 (stop of processing).
 */
import {
  applicantFields,
  documentHeader,
  field,
  finishDocument,
  numbered,
  numberPagesFromSecond,
  signOff,
  startDocument,
  title,
} from './common.ts';
import { formatDate, formatDateTimeLong } from './format.ts';
import type { Writer } from './layout.ts';
import type { ApologyData, RefusalData, StopNoticeData, SupplementRequestData } from './types.ts';

const INDENT = 28;

function requireSome(list: unknown[], what: string): void {
  if (list.length === 0) throw new RangeError(`${what} must not be empty`);
}

function codeLine(code: string | undefined) {
  return code ? [[{ text: 'Mã hồ sơ: ' }, { text: code, style: 'bold' as const }]] : [];
}

function addressee(w: Writer, name: string): void {
  w.paragraph([{ text: 'Kính gửi: ' }, { text: name, style: 'bold' }], { align: 'center', size: 13 });
  w.space(6);
}

/**
 * Form 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what is missing and why, the deadline if
 * any, and the officer to contact.
 * @throws RangeError when `items` is empty or a date is invalid.
 */
export async function renderSupplementRequest(d: SupplementRequestData): Promise<Uint8Array> {
  requireSome(d.items, 'items');
  const w = await startDocument({
    title: `Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ${d.dossierCode}`,
    subject: d.procedureName,
    agency: d.agency,
    date: d.issuedAt,
  });
  documentHeader(w, d);
  title(w, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', codeLine(d.dossierCode));
  applicantFields(w, d.applicant, 'Hồ sơ của');
  field(w, 'Nội dung yêu cầu giải quyết', d.procedureName, { bold: true });
  if (d.receivedAt) field(w, 'Thời gian tiếp nhận hồ sơ', formatDateTimeLong(d.receivedAt));
  w.paragraph(
    'Sau khi nghiên cứu, đối chiếu với các quy định hiện hành, đề nghị Ông/Bà/Tổ chức bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
    { indent: INDENT },
  );
  w.space(2);
  w.table(
    [
      { header: 'TT', weight: 7, align: 'center' },
      { header: 'Nội dung cần bổ sung, hoàn thiện', weight: 48 },
      { header: 'Lý do', weight: 45 },
    ],
    d.items.map((item, i) => [String(i + 1), item.what, item.reason]),
    { size: 11.5 },
  );
  w.space(4);
  if (d.dueAt) {
    w.paragraph(
      [{ text: 'Thời hạn bổ sung, hoàn thiện hồ sơ: trước ' }, { text: `${formatDateTimeLong(d.dueAt)}.`, style: 'bold' }],
      { indent: INDENT },
    );
  }
  const c = d.contact;
  const who = [c.name, c.unit].filter(Boolean).join(', ');
  w.paragraph(
    `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà/Tổ chức liên hệ với ${who}${
      c.phone ? `, số điện thoại ${c.phone}` : ''
    } để được hướng dẫn./.`,
    { indent: INDENT },
  );
  signOff(w, d.signer ?? { title: 'Người hướng dẫn', name: c.name }, d.copiesTo);
  numberPagesFromSecond(w);
  return finishDocument(w);
}

/**
 * Form 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ, with its reasons.
 * @throws RangeError when `reasons` is empty or a date is invalid.
 */
export async function renderRefusal(d: RefusalData): Promise<Uint8Array> {
  requireSome(d.reasons, 'reasons');
  const w = await startDocument({
    title: `Phiếu từ chối tiếp nhận, giải quyết hồ sơ${d.dossierCode ? ` ${d.dossierCode}` : ''}`,
    subject: d.procedureName,
    agency: d.agency,
    date: d.issuedAt,
  });
  documentHeader(w, d);
  title(w, 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ', codeLine(d.dossierCode));
  field(w, 'Bộ phận tiếp nhận và trả kết quả', d.receivingUnit ?? d.agency.name);
  applicantFields(w, d.applicant, 'Tiếp nhận hồ sơ của');
  field(w, 'Nội dung yêu cầu giải quyết', d.procedureName, { bold: true });
  if (d.receivedAt) field(w, 'Thời gian tiếp nhận hồ sơ', formatDateTimeLong(d.receivedAt));
  w.paragraph(
    `Qua xem xét, nghiên cứu, đối chiếu với các quy định hiện hành, ${d.agency.name} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    { indent: INDENT },
  );
  numbered(w, d.reasons, { indent: INDENT });
  w.paragraph('Xin thông báo cho Ông/Bà/Tổ chức được biết và thực hiện./.', { indent: INDENT });
  signOff(w, d.signer, d.copiesTo, '(Ký, ghi rõ họ tên)');
  numberPagesFromSecond(w);
  return finishDocument(w);
}

/**
 * Form 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả: the missed appointment, why, and the
 * new appointment.
 * @throws RangeError when a date is invalid.
 */
export async function renderApology(d: ApologyData): Promise<Uint8Array> {
  const w = await startDocument({
    title: `Phiếu xin lỗi và hẹn lại ngày trả kết quả ${d.dossierCode}`,
    subject: d.procedureName,
    agency: d.agency,
    date: d.issuedAt,
  });
  documentHeader(w, d);
  title(w, 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', codeLine(d.dossierCode));
  addressee(w, d.applicant.name);
  const agency = d.agency.name;
  w.paragraph(
    [
      {
        text: `Ngày ${formatDate(d.receivedAt)}, ${agency} tiếp nhận giải quyết hồ sơ ${d.procedureName} của Ông/Bà/Tổ chức ${d.applicant.name}, mã hồ sơ ${d.dossierCode}. Thời hạn trả kết quả giải quyết hồ sơ: `,
      },
      { text: formatDateTimeLong(d.originalAppointmentAt), style: 'bold' },
      { text: '.' },
    ],
    { indent: INDENT },
  );
  w.paragraph(
    `Tuy nhiên đến nay, ${agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
    { indent: INDENT },
  );
  w.paragraph([{ text: 'Lý do: ', style: 'bold' }, { text: d.reason }], { indent: INDENT });
  w.paragraph(
    [
      {
        text: `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà/Tổ chức. ${agency} xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào `,
      },
      { text: formatDateTimeLong(d.newAppointmentAt), style: 'bold' },
      { text: '.' },
    ],
    { indent: INDENT },
  );
  w.paragraph('Xin trân trọng cảm ơn./.', { indent: INDENT });
  signOff(w, d.signer, d.copiesTo, '(Ký, ghi rõ họ tên và đóng dấu)');
  numberPagesFromSecond(w);
  return finishDocument(w);
}

/**
 * Form 05 Phiếu dừng xử lý hồ sơ, with its reasons and legal basis.
 * @throws RangeError when `reasons` is empty or a date is invalid.
 */
export async function renderStopNotice(d: StopNoticeData): Promise<Uint8Array> {
  requireSome(d.reasons, 'reasons');
  const w = await startDocument({
    title: `Phiếu dừng xử lý hồ sơ ${d.dossierCode}`,
    subject: d.procedureName,
    agency: d.agency,
    date: d.issuedAt,
  });
  documentHeader(w, d);
  title(w, 'Phiếu dừng xử lý hồ sơ', codeLine(d.dossierCode));
  addressee(w, d.applicant.name);
  w.paragraph(
    `${d.agency.name} đã tiếp nhận hồ sơ ${d.procedureName} của Ông/Bà/Tổ chức ${d.applicant.name} lúc ${formatDateTimeLong(d.receivedAt)}, mã hồ sơ ${d.dossierCode}.`,
    { indent: INDENT },
  );
  w.paragraph(
    `${d.legalBasis ? `Căn cứ ${d.legalBasis}, ` : ''}${d.agency.name} thông báo dừng xử lý hồ sơ nêu trên với lý do sau:`,
    { indent: INDENT },
  );
  numbered(w, d.reasons, { indent: INDENT });
  if (d.note) w.paragraph(d.note, { indent: INDENT });
  w.paragraph('Xin thông báo cho Ông/Bà/Tổ chức được biết./.', { indent: INDENT });
  signOff(w, d.signer, d.copiesTo, '(Ký, ghi rõ họ tên và đóng dấu)');
  numberPagesFromSecond(w);
  return finishDocument(w);
}
