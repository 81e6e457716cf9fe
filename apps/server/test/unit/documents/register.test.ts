import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRegister } from '../../../src/modules/documents/index.ts';
import { buildRegister, registerCode } from './fixtures.ts';
import { pdfFonts, pdfInfo, pdfText, pdfTextRaw, squash, tempDir, wordBoxes } from './pdf-tools.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('form 07: dossier register', () => {
  let file = '';
  let pages = 0;

  beforeAll(async () => {
    file = dir.write('register.pdf', await renderRegister(buildRegister(120)));
    pages = pdfInfo(file).pages;
  });

  it('is landscape A4 over several pages', () => {
    const info = pdfInfo(file);
    expect(info.width).toBeCloseTo(841.89, 1);
    expect(info.height).toBeCloseTo(595.28, 1);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(pdfFonts(file).every((f) => f.embedded && f.unicode && f.name.startsWith('Tinos'))).toBe(true);
  });

  it('repeats the title, period and column headings on every page, numbered', () => {
    for (let p = 1; p <= pages; p++) {
      const text = pdfText(file, p);
      expect(text).toContain('SỔ THEO DÕI HỒ SƠ');
      expect(text).toContain('Từ ngày 01/03/2025 đến ngày 31/03/2025');
      expect(text).toContain('Quyển số: 03');
      expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA');
      expect(text).toMatch(/ỦY BAN NHÂN DÂN\n.*\n\s*PHƯỜNG BẮC NHA TRANG/);
      expect(text).toMatch(/STT\s+Mã hồ sơ\s+Thủ tục hành chính\s+Tên tổ chức, cá nhân\s+Địa chỉ, số điện thoại/);
      expect(text).toMatch(/\(1\)\s+\(2\)\s+\(3\)/);
      expect(text).toContain(`Trang ${p}/${pages}`);
    }
  });

  it('lists every dossier once, in order, with its dates and status', () => {
    const all = pdfText(file);
    for (let i = 0; i < 120; i++) {
      expect(all.split(registerCode(i)).length - 1, registerCode(i)).toBe(1);
    }
    expect(all.indexOf(registerCode(0))).toBeLessThan(all.indexOf(registerCode(119)));
    // Row 1: received 08:05 on 01/03 (UTC 01:05), due five days later, returned after four.
    expect(all).toMatch(
      /Tổ 1, phường Bắc Nha Trang\s+08:05\s+08:05\s+08:05\n\s*1\s+000\.00\.01\.H56-250301-0001\s+Đăng ký thành lập hộ kinh doanh\s+Nguyễn Thị Ngọc Ánh\s+Trả đúng hạn\n\s+0905 100 100\s+01\/03\/2025\s+06\/03\/2025\s+05\/03\/2025\n/,
    );
    expect(all).toContain('Chờ bổ sung');
    expect(all).toContain('Trả quá hạn');
    expect(squash(pdfTextRaw(file))).toContain('Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp');
    expect(all).toMatch(/\n\s*120\s+000\.00\.01\.H56-/);
  });

  it('keeps every word inside the page', () => {
    for (const w of wordBoxes(file)) {
      expect(w.xMax, w.text).toBeLessThanOrEqual(841.89 - 28);
      expect(w.yMax, w.text).toBeLessThanOrEqual(595.28 - 28);
    }
  });

  it('prints an empty register with its headings', async () => {
    const empty = dir.write('register-empty.pdf', await renderRegister(buildRegister(0)));
    expect(pdfInfo(empty).pages).toBe(1);
    expect(pdfText(empty)).toContain('SỔ THEO DÕI HỒ SƠ');
  });
});
