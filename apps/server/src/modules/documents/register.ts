import { cellDateTime, finishDocument, startDocument } from './common.ts';
import { formatDate } from './format.ts';
import { REGISTER_STATUS_LABELS } from './labels.ts';
import { A4_LANDSCAPE, PT_PER_MM, upper } from './layout.ts';
import type { Margins, Writer } from './layout.ts';
import type { RegisterData } from './types.ts';

const MARGINS: Margins = {
  top: 18 * PT_PER_MM,
  bottom: 15 * PT_PER_MM,
  left: 20 * PT_PER_MM,
  right: 15 * PT_PER_MM,
};

/**
 * Form 07 Sổ theo dõi hồ sơ on landscape A4: every page repeats the agency, the title, the
 * period and the column headings, and carries "Trang i/n".
 * @throws RangeError when a date is invalid.
 */
export async function renderRegister(d: RegisterData): Promise<Uint8Array> {
  const period = `Từ ngày ${formatDate(d.period.from)} đến ngày ${formatDate(d.period.to)}`;
  const w = await startDocument(
    { title: `Sổ theo dõi hồ sơ ${period.toLowerCase()}`, agency: d.agency, date: d.printedAt ?? d.period.to },
    { pageSize: A4_LANDSCAPE, margins: MARGINS, onPage: (page) => pageHeader(page, d, period) },
  );
  w.table(
    [
      { header: 'STT', weight: 4, align: 'center' },
      { header: 'Mã hồ sơ', weight: 15 },
      { header: 'Thủ tục hành chính', weight: 17 },
      { header: 'Tên tổ chức, cá nhân', weight: 13 },
      { header: 'Địa chỉ, số điện thoại', weight: 15 },
      { header: 'Ngày nhận hồ sơ', weight: 7.5, align: 'center' },
      { header: 'Ngày hẹn trả kết quả', weight: 7.5, align: 'center' },
      { header: 'Ngày trả kết quả', weight: 7.5, align: 'center' },
      { header: 'Tình trạng', weight: 7.5, align: 'center' },
      { header: 'Ký nhận', weight: 6 },
    ],
    d.rows.map((r, i) => [
      String(i + 1),
      r.dossierCode,
      r.procedureName,
      r.applicantName,
      [r.address, r.phone].filter(Boolean).join('\n'),
      cellDateTime(r.receivedAt),
      cellDateTime(r.appointmentAt),
      cellDateTime(r.returnedAt),
      REGISTER_STATUS_LABELS[r.status],
      '',
    ]),
    { size: 9, headerSize: 9, numberRow: true, padding: 2.5 },
  );
  w.numberPages((i, n) => `Trang ${i + 1}/${n}`, 'right', 9);
  return finishDocument(w);
}

/** Agency on the left, title and period in the middle; drawn at the top of every page. */
function pageHeader(w: Writer, d: RegisterData, period: string): void {
  const leftWidth = w.width * 0.3;
  const midX = w.left + leftWidth;
  const midWidth = w.width * 0.4;
  const top = w.y;
  let ly = top;
  if (d.agency.parentName) {
    ly -= w.block(upper(d.agency.parentName), w.left, ly, leftWidth, { size: 10, align: 'center', leading: 1.2, balanced: true });
  }
  ly -= w.block(upper(d.agency.name), w.left, ly, leftWidth, { size: 10.5, style: 'bold', align: 'center', leading: 1.2, balanced: true });
  let my = top;
  my -= w.block('SỔ THEO DÕI HỒ SƠ', midX, my, midWidth, { size: 15, style: 'bold', align: 'center' });
  my -= w.block(period, midX, my, midWidth, { size: 11, style: 'italic', align: 'center' });
  if (d.book) my -= w.block(`Quyển số: ${d.book}`, midX, my, midWidth, { size: 11, align: 'center' });
  w.y = Math.min(ly, my) - 8;
}
