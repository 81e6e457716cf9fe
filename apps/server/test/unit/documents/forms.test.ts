import { afterAll, describe, expect, it } from 'vitest';
import {
  renderApology,
  renderProcessControlSlip,
  renderReceiptSlip,
  renderRefusal,
  renderStopNotice,
  renderSupplementRequest,
} from '../../../src/modules/documents/index.ts';
import {
  buildApology,
  buildProcessControlSlip,
  buildReceiptSlip,
  buildRefusal,
  buildStopNotice,
  buildSupplementRequest,
  DOSSIER_CODE,
  STATUS_URL,
} from './fixtures.ts';
import { decodeQr, pdfFonts, pdfInfo, pdfText, pdfTextRaw, squash, tempDir, wordBoxes } from './pdf-tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());

const A4 = { width: 595.28, height: 841.89 };

/** What every administrative document carries. */
function expectNationalHeader(text: string): void {
  expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
  // The agency names in capitals, wrapped into balanced lines (the motto sits beside them).
  expect(text).toMatch(/ỦY BAN NHÂN DÂN .*\n\s*TỈNH KHÁNH HÒA .*\n\s*ỦY BAN NHÂN DÂN\n\s*PHƯỜNG BẮC NHA TRANG\n/);
}

/** A4, fonts embedded with Unicode maps, NFC text, nothing outside the page's margins. */
function expectWellFormed(file: string, size = A4): void {
  const info = pdfInfo(file);
  expect(info.width).toBeCloseTo(size.width, 1);
  expect(info.height).toBeCloseTo(size.height, 1);
  const fonts = pdfFonts(file);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) {
    expect(f.name).toMatch(/^Tinos/);
    expect(f.type).toBe('CID TrueType');
    expect(f.embedded).toBe(true);
    expect(f.unicode).toBe(true);
  }
  const text = pdfText(file);
  expect(text).toBe(text.normalize('NFC'));
  // Wrapping keeps every word inside the page, 10 mm from any edge at least.
  const tenMm = 28.3;
  for (const w of wordBoxes(file)) {
    expect(w.xMin, w.text).toBeGreaterThanOrEqual(tenMm);
    expect(w.xMax, w.text).toBeLessThanOrEqual(size.width - tenMm);
    expect(w.yMin, w.text).toBeGreaterThanOrEqual(tenMm / 2);
    expect(w.yMax, w.text).toBeLessThanOrEqual(size.height - tenMm);
  }
}

describe('form 01: receipt and appointment slip', () => {
  it('prints two copies with every field, in Vietnamese, extractable as NFC', async () => {
    const file = dir.write('receipt.pdf', await renderReceiptSlip(buildReceiptSlip()));
    expectWellFormed(file);
    expect(pdfInfo(file).pages).toBe(2);
    const copies = [pdfText(file, 1), pdfText(file, 2)];
    expect(copies[0]).toContain('(Liên 1: Giao người nộp hồ sơ)');
    expect(copies[1]).toContain('(Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả)');
    for (const text of copies) {
      expectNationalHeader(text!);
      const flat = squash(text!);
      expect(text).toContain('Số: 125/GTN-BPMC');
      expect(text).toContain('Khánh Hòa, ngày 05 tháng 3 năm 2025');
      expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(text).toContain(`Mã hồ sơ: ${DOSSIER_CODE}`);
      expect(text).toContain('Bộ phận tiếp nhận và trả kết quả: Bộ phận Một cửa phường Bắc Nha Trang');
      expect(text).toContain('Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh');
      expect(text).toContain('Số định danh cá nhân/Mã số thuế: 056*******89');
      expect(text).toContain('Số điện thoại: 0905 123 456; Email: ngocanh.nguyen@example.vn');
      expect(flat).toContain('Địa chỉ: Số 12 đường Trần Phú, tổ dân phố Xương Huân, phường Bắc Nha Trang, tỉnh Khánh Hòa');
      expect(text).toContain('Nội dung yêu cầu giải quyết: Đăng ký thành lập hộ kinh doanh');
      // The component table; short cells are centred vertically beside the wrapped name.
      expect(text).toMatch(/TT\s+Tên giấy tờ\s+bản sao chứng thực,\s+Số lượng/);
      expect(text).toMatch(/Giấy đề nghị đăng ký hộ kinh doanh \(Mẫu Phụ lục III-1,\n\s+1\s+Bản chính\s+01\n/);
      expect(text).toMatch(/Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh\n\s+2\s+Bản sao chứng thực\s+01\n/);
      expect(text).toMatch(/Biên bản họp thành viên hộ gia đình về việc thành lập hộ\n\s+3\s+Bản sao\s+02\n/);
      expect(text).toContain('2. Số lượng hồ sơ: 01 (bộ)');
      expect(text).toContain('3. Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc');
      expect(text).toContain('4. Thời gian nhận hồ sơ: 08:35, ngày 05/03/2025');
      expect(text).toContain('5. Thời gian trả kết quả giải quyết hồ sơ: 16:00, ngày 12/03/2025');
      expect(text).toContain('6. Đăng ký nhận kết quả tại: Trực tiếp tại Quầy số 3, Bộ phận Một cửa phường Bắc Nha Trang');
      expect(text).toContain('7. Phí, lệ phí: 1.250.000 ₫ (đã nộp, biên lai số BL-0001234)');
      expect(text).toContain('Vào Sổ theo dõi hồ sơ, Quyển số: 03, Số thứ tự: 215');
      expect(text).toMatch(/NGƯỜI NỘP HỒ SƠ\s+NGƯỜI TIẾP NHẬN HỒ SƠ/);
      expect(text).toMatch(/Nguyễn Thị Ngọc Ánh\s+Trần Văn Đức/);
      expect(flat).toContain(STATUS_URL);
      expect(flat).toContain('Đường dây nóng: 0258 3 822 222');
    }
  });

  it('carries a QR code of the status page on each copy', async () => {
    const file = dir.write('receipt-qr.pdf', await renderReceiptSlip(buildReceiptSlip()));
    expect(decodeQr(file, 1, dir)).toBe(STATUS_URL);
    expect(decodeQr(file, 2, dir)).toBe(STATUS_URL);
  });

  it('normalises decomposed input (NFD) to NFC', async () => {
    const nfd = 'Nguyễn Thị Ngọc Ánh'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn Thị Ngọc Ánh');
    const data = buildReceiptSlip();
    const file = dir.write(
      'receipt-nfd.pdf',
      await renderReceiptSlip({ ...data, applicant: { ...data.applicant, name: nfd }, procedureName: data.procedureName.normalize('NFD') }),
    );
    const text = pdfText(file, 1);
    expect(text).toContain('Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh');
    expect(text).toContain('Đăng ký thành lập hộ kinh doanh');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('states an unpaid fee, a free procedure and the post as a delivery method', async () => {
    const unpaid = dir.write(
      'receipt-unpaid.pdf',
      await renderReceiptSlip(
        buildReceiptSlip({
          fee: { amount: 50_000, paid: false },
          resultDelivery: { method: 'post', detail: 'Số 5 Lê Thánh Tôn, phường Nha Trang' },
        }),
      ),
    );
    const text = pdfText(unpaid, 1);
    expect(text).toContain('7. Phí, lệ phí: 50.000 ₫ (chưa nộp)');
    expect(squash(text)).toContain('Qua dịch vụ bưu chính công ích, đến địa chỉ: Số 5 Lê Thánh Tôn, phường Nha Trang');
    const free = dir.write('receipt-free.pdf', await renderReceiptSlip(buildReceiptSlip({ fee: { amount: 0, paid: false } })));
    expect(pdfText(free, 1)).toContain('7. Phí, lệ phí: Không thu phí, lệ phí');
  });

  it('lets a long component list run over to another page, each copy starting a page', async () => {
    const components = Array.from({ length: 30 }, (_, i) => ({
      name: `Giấy tờ số ${i + 1}: bản vẽ thiết kế, thuyết minh và hồ sơ năng lực của đơn vị tư vấn thiết kế công trình`,
      form: 'copy' as const,
      quantity: 1,
    }));
    const file = dir.write('receipt-long.pdf', await renderReceiptSlip(buildReceiptSlip({ components })));
    expectWellFormed(file);
    const pages = pdfInfo(file).pages;
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pages % 2).toBe(0);
    const second = pages / 2 + 1;
    expect(pdfText(file, second)).toContain('(Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả)');
    // The table header is repeated on the page the table continues on.
    expect(pdfText(file, 2)).toMatch(/TT\s+Tên giấy tờ/);
    const all = squash(pdfText(file));
    expect(all.split('Giấy tờ số 30:').length - 1).toBe(2);
  });
});

describe('form 02: request to supplement the dossier', () => {
  it('lists what is missing and why, the deadline and the contact officer', async () => {
    const file = dir.write('supplement.pdf', await renderSupplementRequest(buildSupplementRequest()));
    expectWellFormed(file);
    const text = pdfText(file);
    const flat = squash(text);
    expectNationalHeader(text);
    expect(text).toContain('Khánh Hòa, ngày 06 tháng 3 năm 2025');
    expect(text).toContain('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
    expect(text).toContain(`Mã hồ sơ: ${DOSSIER_CODE}`);
    expect(text).toContain('Hồ sơ của: Nguyễn Thị Ngọc Ánh');
    expect(text).toContain('Nội dung yêu cầu giải quyết: Đăng ký thành lập hộ kinh doanh');
    expect(text).toContain('Thời gian tiếp nhận hồ sơ: 08:35, ngày 05/03/2025');
    expect(text).toMatch(/TT\s+Nội dung cần bổ sung, hoàn thiện\s+Lý do/);
    expect(text).toMatch(/Biên bản họp thành viên hộ gia đình có đủ chữ\s+Biên bản đã nộp thiếu chữ ký của bà Lê Thị\n\s+1\n/);
    expect(text).toMatch(/ký của các thành viên\s+Hoài Thương \(thành viên hộ gia đình\)\./);
    expect(text).toMatch(/Ghi rõ ngành, nghề kinh doanh theo Hệ thống\s+Ngành nghề "buôn bán lặt vặt" chưa xác\n\s+2\n/);
    expect(flat).toContain('Thời hạn bổ sung, hoàn thiện hồ sơ: trước 17:00, ngày 20/03/2025.');
    expect(flat).toContain(
      'liên hệ với Phạm Thị Huyền Trâm, Bộ phận Một cửa phường Bắc Nha Trang, số điện thoại 0258 3 812 345 để được hướng dẫn./.',
    );
    expect(text).toContain('NGƯỜI HƯỚNG DẪN');
    expect(text).toMatch(/Nơi nhận:[\s\S]*- Như trên;[\s\S]*- Lưu: BPMC\./);
  });

  it('continues a long list on further pages, numbered, with the table header repeated', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      what: `Bổ sung giấy tờ thứ ${i + 1} theo danh mục thành phần hồ sơ đã công bố`,
      reason: 'Thành phần hồ sơ chưa đầy đủ theo Quyết định công bố thủ tục hành chính của Ủy ban nhân dân tỉnh.',
    }));
    const file = dir.write('supplement-long.pdf', await renderSupplementRequest(buildSupplementRequest({ items })));
    expectWellFormed(file);
    const { pages } = pdfInfo(file);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 2; p <= pages; p++) {
      const text = pdfText(file, p);
      // Decree 30 page number, centred in the top margin from the second page.
      expect(text.trim().split('\n')[0]!.trim()).toBe(String(p));
      if (p < pages) expect(text).toMatch(/TT\s+Nội dung cần bổ sung, hoàn thiện\s+Lý do/);
    }
    expect(squash(pdfText(file))).toContain('Bổ sung giấy tờ thứ 40 theo danh mục');
  });

  it('refuses an empty list', async () => {
    await expect(renderSupplementRequest(buildSupplementRequest({ items: [] }))).rejects.toThrow(RangeError);
  });
});

describe('form 03: refusal', () => {
  it('states the reasons and the signer', async () => {
    const file = dir.write('refusal.pdf', await renderRefusal(buildRefusal()));
    expectWellFormed(file);
    const text = pdfText(file);
    const flat = squash(text);
    expectNationalHeader(text);
    expect(text).toContain('Số: 07/PTC-UBND');
    expect(text).toContain('Khánh Hòa, ngày 07 tháng 3 năm 2025');
    expect(text).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain('Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh');
    expect(flat).toContain(
      'Ủy ban nhân dân phường Bắc Nha Trang thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:',
    );
    expect(flat).toContain('1. Địa điểm kinh doanh thuộc khu vực cấm kinh doanh theo quy hoạch của tỉnh Khánh Hòa.');
    expect(flat).toContain('2. Tên hộ kinh doanh "Quán Ăn Ngon Bắc Nha Trang" trùng với tên hộ kinh doanh');
    // The signer's title on two lines, the name under the signature space.
    expect(text).toMatch(/Nơi nhận:\s+KT\. CHỦ TỊCH\n- Như trên;\s+PHÓ CHỦ TỊCH\n- Lưu: VT, BPMC\.\n/);
    expect(text.indexOf('Lê Quốc Hưng')).toBeGreaterThan(text.indexOf('(Ký, ghi rõ họ tên)'));
  });

  it('refuses to print without a reason', async () => {
    await expect(renderRefusal(buildRefusal({ reasons: [] }))).rejects.toThrow(RangeError);
  });
});

describe('form 04: apology and new appointment', () => {
  it('gives the missed appointment, the reason and the new appointment', async () => {
    const file = dir.write('apology.pdf', await renderApology(buildApology()));
    expectWellFormed(file);
    const text = pdfText(file);
    const flat = squash(text);
    expectNationalHeader(text);
    expect(text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(text).toContain('Kính gửi: Nguyễn Thị Ngọc Ánh');
    expect(flat).toContain('Ngày 05/03/2025, Ủy ban nhân dân phường Bắc Nha Trang tiếp nhận giải quyết hồ sơ Đăng ký thành lập hộ kinh doanh');
    expect(flat).toContain(`mã hồ sơ ${DOSSIER_CODE}. Thời hạn trả kết quả giải quyết hồ sơ: 16:00, ngày 12/03/2025.`);
    expect(flat).toContain('Lý do: Hệ thống đăng ký hộ kinh doanh quốc gia gián đoạn do nâng cấp');
    expect(flat).toContain('sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào 16:00, ngày 14/03/2025.');
    expect(text).toContain('CHỦ TỊCH');
    expect(text).toContain('Võ Thị Ngọc Bích');
  });
});

describe('form 05: notice to stop processing', () => {
  it('gives the reasons and the legal basis', async () => {
    const file = dir.write('stop.pdf', await renderStopNotice(buildStopNotice()));
    expectWellFormed(file);
    const text = pdfText(file);
    const flat = squash(text);
    expectNationalHeader(text);
    expect(text).toContain('PHIẾU DỪNG XỬ LÝ HỒ SƠ');
    expect(text).toContain('Khánh Hòa, ngày 10 tháng 3 năm 2025');
    expect(flat).toContain('lúc 08:35, ngày 05/03/2025, mã hồ sơ 000.00.01.H56-250305-0001.');
    expect(flat).toContain('Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ, Ủy ban nhân dân phường Bắc Nha Trang thông báo dừng xử lý hồ sơ');
    expect(flat).toContain('1. Người nộp hồ sơ có văn bản đề nghị rút hồ sơ ngày 09/03/2025.');
    expect(flat).toContain('phí, lệ phí đã nộp được hoàn trả theo quy định.');
  });
});

describe('form 06: process-control slip', () => {
  it('prints the dossier header and one row per hand-over with its result', async () => {
    const file = dir.write('control.pdf', await renderProcessControlSlip(buildProcessControlSlip()));
    expectWellFormed(file);
    const text = pdfText(file);
    expectNationalHeader(text);
    expect(text).toContain('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
    expect(text).toContain(`Mã hồ sơ: ${DOSSIER_CODE}`);
    expect(text).toContain('Thủ tục hành chính: Đăng ký thành lập hộ kinh doanh');
    expect(text).toContain('Người nộp hồ sơ: Nguyễn Thị Ngọc Ánh');
    expect(text).toContain('Thời gian nhận hồ sơ: 08:35, ngày 05/03/2025');
    expect(text).toContain('Thời gian hẹn trả kết quả: 16:00, ngày 12/03/2025');
    expect(text).toContain('Cơ quan phối hợp giải quyết hồ sơ: Chi cục Thuế khu vực Nha Trang');
    expect(text).toMatch(/TT\s+Bước xử lý\s+Bên giao\s+Bên nhận/);
    // Row 1: handed over 09:00 (UTC+7) on 05/03, due 17:00 the same day, early.
    expect(text).toMatch(/Trần Văn Đức\s+Nguyễn Hữu\n\s+Tiếp nhận,\s+09:00\s+17:00\n\s+1\s+\(Bộ phận Một\s+Lộc \(Phòng\s+Trước hạn\n/);
    expect(text).toMatch(/chuyển hồ sơ\s+05\/03\/2025\s+05\/03\/2025\n/);
    expect(text).toMatch(/Thẩm định hồ\s+16:30\s+17:00\n\s+2\s+.*Đúng hạn\n/);
    expect(text).toMatch(/Phê duyệt, ký\s+08:00\s+17:00\n\s+3\s+.*Quá hạn/);
    expect(text).toMatch(/kết quả\s+12\/03\/2025\s+11\/03\/2025\n/);
    // The last step is still running: no result.
    expect(text).toMatch(/4\s+Trả kết quả\s+\(Phó Chủ tịch \(Bộ phận Một\n/);
    const cells = squash(pdfTextRaw(file));
    expect(cells).toContain('Chờ xác minh địa điểm kinh doanh');
    expect(cells).toContain('Đặng Thị Mỹ Duyên (Lãnh đạo phòng)');
    expect(cells).toContain('Lê Quốc Hưng (Phó Chủ tịch UBND phường)');
  });
});
