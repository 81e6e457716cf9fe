/**
 * The service-quality index (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người
 * dân, doanh nghiệp) of Decision 766/QĐ-TTg (23/06/2022), kept as data: a province that finds a
 * different split of points or threshold in the Decision's appendix or in the Government
 * Office's later guidance changes this table, not the code.
 *
 * What is certain (DOMAIN.md): five groups worth 18, 20, 22, 22 and 18 points; below its
 * threshold a component scores rate × max ÷ threshold; 3.1 and 3.5 full at 80 %, 3.3 at 50 %,
 * 4.3 at 80 %, 5.4 at 90 %. A component for which DOMAIN.md states no threshold (2.1, 2.2, 3.6,
 * 4.1, 4.2) earns its full points only at 100 % (threshold 1: points = rate × max). The points
 * of each component inside its group are this project's reading and must be checked against
 * the appendix before scores are published.
 */
import type { DrillMetric, IndexSource } from '@motcua/contracts';

export interface IndexGroupSpec {
  group: 1 | 2 | 3 | 4 | 5;
  name: { vi: string; en: string };
  maxPoints: number;
}

export interface IndexComponentSpec {
  code: string;
  group: IndexGroupSpec['group'];
  name: { vi: string; en: string };
  maxPoints: number;
  /** Rate (0–1) at or above which the full points are earned. */
  threshold: number;
  /** `computed` ones have a formula in quality-index.ts. */
  source: IndexSource;
  /** The drill-down metric listing the dossiers that lowered it, for dossier-based components. */
  lowering?: DrillMetric;
  /** What the rate is (its definition). */
  note?: { vi: string; en: string };
  /** For `external` and `not_available` components: why this system gives no points for it. */
  reason?: { vi: string; en: string };
}

export const INDEX_GROUPS: readonly IndexGroupSpec[] = [
  { group: 1, name: { vi: 'Công khai, minh bạch', en: 'Transparency' }, maxPoints: 18 },
  { group: 2, name: { vi: 'Tiến độ, kết quả giải quyết', en: 'Progress and results' }, maxPoints: 20 },
  { group: 3, name: { vi: 'Cung cấp dịch vụ trực tuyến', en: 'Online services' }, maxPoints: 22 },
  { group: 4, name: { vi: 'Số hóa hồ sơ', en: 'Digitisation' }, maxPoints: 22 },
  { group: 5, name: { vi: 'Mức độ hài lòng', en: 'Satisfaction' }, maxPoints: 18 },
];

const FROM_PORTAL = {
  vi: 'Do Cổng Dịch vụ công quốc gia (hoặc hệ thống khác) công bố; nhập từ bên ngoài.',
  en: 'Published by the national public-service portal (or another system); provided from outside.',
};

/** Why a component is not computed here: shown with it in the API (`reason`). */
export const REASONS = {
  external: {
    vi: 'Cung cấp từ bên ngoài: do Cổng Dịch vụ công quốc gia (hoặc hệ thống khác) đánh giá; hệ thống này không tính điểm chỉ số này.',
    en: 'Provided from outside: scored by the national public-service portal (or another system); this system does not compute it.',
  },
  nothingToMeasure: {
    vi: 'Không có gì để đo trong kỳ (mẫu số bằng 0): không tính vào điểm và điểm tối đa.',
    en: 'Nothing to measure in the period (the denominator is 0): left out of both the points and the maximum.',
  },
} as const;

export const INDEX_COMPONENTS: readonly IndexComponentSpec[] = [
  {
    code: '1', group: 1, maxPoints: 18, threshold: 1, source: 'external', note: FROM_PORTAL, reason: REASONS.external,
    name: { vi: 'Công khai, minh bạch (các chỉ số thành phần 1.x)', en: 'Transparency (components 1.x)' },
  },
  {
    code: '2.1', group: 2, maxPoints: 12, threshold: 1, source: 'computed', lowering: 'idx21',
    name: { vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Dossiers resolved on time' },
    note: {
      vi: 'Hồ sơ kết thúc trong kỳ (trước hạn, đúng hạn) ÷ (kết thúc trong kỳ + đang giải quyết quá hạn cuối kỳ); hạn là thời hạn theo quy định (gia hạn bằng thư xin lỗi không tính), trừ thời gian chờ bổ sung; yêu cầu bổ sung quá 1 lần tính là quá hạn.',
      en: 'Finished on or before the statutory deadline (an apology\'s new appointment does not count) ÷ (finished in the period + still open and overdue at its end); supplement pauses excluded; more than one supplement request counts as late.',
    },
  },
  {
    code: '2.2', group: 2, maxPoints: 8, threshold: 1, source: 'computed', lowering: 'idx22',
    name: { vi: 'Thời gian giải quyết trung bình so với quy định', en: 'Average resolution time against the statutory time' },
    note: {
      vi: 'Tỷ lệ thủ tục có thời gian giải quyết trung bình (không tính thời gian chờ bổ sung) không vượt thời hạn quy định.',
      en: 'Share of procedures whose average resolution time (supplement pauses excluded) is within the statutory time.',
    },
  },
  {
    code: '3.1', group: 3, maxPoints: 4, threshold: 0.8, source: 'computed',
    name: { vi: 'Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến', en: 'Procedures offered online' },
    note: {
      vi: 'Thủ tục đang công bố mà cơ quan tiếp nhận, có dịch vụ trực tuyến (toàn trình hoặc một phần) ÷ tất cả; theo danh mục hiện hành.',
      en: 'Published procedures the agency receives that are offered online (fully or partly) ÷ all of them; from the current catalogue.',
    },
  },
  { code: '3.2', group: 3, maxPoints: 4, threshold: 1, source: 'external', note: FROM_PORTAL, reason: REASONS.external, name: { vi: 'Chỉ số thành phần 3.2', en: 'Component 3.2' } },
  {
    code: '3.3', group: 3, maxPoints: 4, threshold: 0.5, source: 'computed', lowering: 'idx33',
    name: { vi: 'Tỷ lệ hồ sơ trực tuyến', en: 'Dossiers filed online' },
    note: { vi: 'Hồ sơ tiếp nhận trực tuyến (kênh 2) ÷ tất cả hồ sơ tiếp nhận trong kỳ.', en: 'Dossiers received online (channel 2) ÷ all dossiers received in the period.' },
  },
  { code: '3.4', group: 3, maxPoints: 2, threshold: 1, source: 'external', note: FROM_PORTAL, reason: REASONS.external, name: { vi: 'Chỉ số thành phần 3.4', en: 'Component 3.4' } },
  {
    code: '3.5', group: 3, maxPoints: 4, threshold: 0.8, source: 'computed',
    name: { vi: 'Tỷ lệ thủ tục có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến', en: 'Fee-bearing procedures with online payment' },
    note: {
      vi: 'Thủ tục có phí, lệ phí khác 0 mà mọi khoản phí đều nộp được trực tuyến ÷ thủ tục có phí, lệ phí; theo danh mục hiện hành.',
      en: 'Procedures with a non-zero fee whose every fee item can be paid online ÷ procedures with a non-zero fee; from the current catalogue.',
    },
  },
  {
    // DOMAIN.md states no threshold for 3.6: full points at 100 % only.
    code: '3.6', group: 3, maxPoints: 4, threshold: 1, source: 'computed', lowering: 'idx36',
    name: { vi: 'Tỷ lệ hồ sơ thanh toán trực tuyến', en: 'Dossiers paid online' },
    note: {
      vi: 'Hồ sơ tiếp nhận trong kỳ đã thanh toán trực tuyến ÷ hồ sơ tiếp nhận trong kỳ có phí, lệ phí khác 0 (sau miễn giảm).',
      en: 'Dossiers received in the period and paid online ÷ dossiers received in the period with a non-zero fee (after exemptions).',
    },
  },
  {
    code: '4.1', group: 4, maxPoints: 8, threshold: 1, source: 'computed', lowering: 'idx41',
    name: { vi: 'Tỷ lệ cấp kết quả điện tử', en: 'Electronic results' },
    note: {
      vi: 'Hồ sơ được phê duyệt trong kỳ có kết quả điện tử (kết quả đã ký số, hoặc tệp kết quả trả trực tuyến) ÷ hồ sơ được phê duyệt của thủ tục có giấy tờ kết quả.',
      en: 'Dossiers approved in the period with an electronic result (a digitally signed result, or a result file returned online) ÷ approved dossiers of procedures with a result document.',
    },
  },
  {
    code: '4.2', group: 4, maxPoints: 8, threshold: 1, source: 'computed', lowering: 'idx42',
    name: { vi: 'Tỷ lệ số hóa hồ sơ, kết quả', en: 'Digitised dossiers and results' },
    note: {
      vi: 'Hồ sơ được phê duyệt trong kỳ có đủ tệp mọi thành phần bắt buộc và tệp kết quả ÷ hồ sơ được phê duyệt trong kỳ.',
      en: 'Dossiers approved in the period with a file for every required component and a result file ÷ dossiers approved in the period.',
    },
  },
  {
    code: '4.3', group: 4, maxPoints: 6, threshold: 0.8, source: 'computed', lowering: 'idx43',
    name: { vi: 'Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa', en: 'Reuse of digitised data' },
    note: {
      vi: 'Hồ sơ tiếp nhận trong kỳ có dùng lại ít nhất một giấy tờ đã số hóa ÷ hồ sơ tiếp nhận trong kỳ của thủ tục có thành phần dùng lại được.',
      en: 'Dossiers received in the period that reused at least one digitised paper ÷ dossiers received in the period of procedures with a reusable component.',
    },
  },
  { code: '5.1', group: 5, maxPoints: 4, threshold: 1, source: 'external', note: FROM_PORTAL, reason: REASONS.external, name: { vi: 'Chỉ số thành phần 5.1', en: 'Component 5.1' } },
  {
    code: '5.2', group: 5, maxPoints: 4, threshold: 1, source: 'computed',
    name: { vi: 'Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn', en: 'Feedback and complaints (PAKN) handled on time' },
    note: {
      vi: 'Phản ánh, kiến nghị xử lý đúng thời hạn: xử lý 15 ngày làm việc, từ chối 2, đề nghị bổ sung thông tin 5, công khai 2.',
      en: 'Feedback and complaints handled within their deadlines: handle within 15 working days, reject 2, ask for more information 5, publish 2.',
    },
  },
  { code: '5.3', group: 5, maxPoints: 4, threshold: 1, source: 'external', note: FROM_PORTAL, reason: REASONS.external, name: { vi: 'Chỉ số thành phần 5.3', en: 'Component 5.3' } },
  {
    code: '5.4', group: 5, maxPoints: 6, threshold: 0.9, source: 'computed', lowering: 'idx54',
    name: { vi: 'Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính', en: 'Satisfaction with receiving and resolving procedures' },
    note: {
      vi: '100% − (tỷ lệ trễ hạn + tỷ lệ hồ sơ có phản ánh hoặc bị đánh giá không hài lòng).',
      en: '100% − (late rate + share of dossiers with a complaint or rated dissatisfied).',
    },
  },
];

/** Decision 766's threshold rule. */
export function pointsFor(rate: number, maxPoints: number, threshold: number): number {
  if (rate >= threshold) return maxPoints;
  return Math.max(0, (rate * maxPoints) / threshold);
}
