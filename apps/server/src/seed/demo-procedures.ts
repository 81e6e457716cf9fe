import type {
  ApplicantType, FeeItem, OnlineForm, OnlineLevel, ProcedureLevel, ProcedureMethod, ProcessingTime, ResultDocument,
} from '@motcua/contracts';
import type { Db } from '../db/database.ts';
import { writeAudit } from '../modules/audit/index.ts';
import {
  canonicalSnapshot, creationDiff, ensureField, insertProcedureHistory, insertProcedures, type HistoryWrite as HistoryRow, type ProcedureSnapshot,
} from '../modules/catalog/index.ts';
import { DEMO_AGENCIES } from './demo-province.ts';

/**
 * DEMO DATA: a catalogue of real-looking procedures for the demo province. Names, steps,
 * components, fees and legal bases follow the published national catalogue; codes have the
 * national shape but are not guaranteed to be the official ones, and amounts are examples.
 */

export interface DemoField {
  code: string;
  name: string;
  nameEn: string;
}

export const DEMO_FIELDS: DemoField[] = [
  { code: 'HO_TICH', name: 'Hộ tịch', nameEn: 'Civil status' },
  { code: 'CHUNG_THUC', name: 'Chứng thực', nameEn: 'Certification' },
  { code: 'HO_KINH_DOANH', name: 'Đăng ký kinh doanh', nameEn: 'Business registration' },
  { code: 'DOANH_NGHIEP', name: 'Thành lập và hoạt động doanh nghiệp', nameEn: 'Enterprise registration' },
  { code: 'DAT_DAI', name: 'Đất đai', nameEn: 'Land' },
  { code: 'XAY_DUNG', name: 'Xây dựng', nameEn: 'Construction' },
  { code: 'GIAO_THONG', name: 'Giao thông', nameEn: 'Transport' },
  { code: 'GIAO_DUC', name: 'Giáo dục', nameEn: 'Education' },
  { code: 'Y_TE', name: 'Y tế', nameEn: 'Health' },
  { code: 'LAO_DONG', name: 'Lao động', nameEn: 'Labour' },
  { code: 'TU_PHAP', name: 'Tư pháp', nameEn: 'Justice' },
  { code: 'TTTT', name: 'Thông tin và Truyền thông', nameEn: 'Information and communications' },
  { code: 'KHCN', name: 'Khoa học và Công nghệ', nameEn: 'Science and technology' },
];

export interface DemoComponent {
  name: string;
  form: 'original' | 'certified_copy' | 'copy';
  quantity: number;
  required: boolean;
  reusable: boolean;
}

/** A procedure as the demo and the generator describe it: agencies and field by code. */
export interface DemoProcedure {
  code: string;
  name: string;
  field: string;
  receiving: string[];
  resolving: string[];
  levels: ProcedureLevel[];
  applicants: ApplicantType[];
  steps: string;
  methods: ProcedureMethod[];
  onlineLevel: OnlineLevel;
  processingTime: ProcessingTime;
  legalBasis: string;
  results: ResultDocument[];
  onlineForm: OnlineForm | null;
  components: DemoComponent[];
  fees: FeeItem[];
  published: boolean;
  /** The agency that held the procedure before a merger, kept in its history. */
  former?: { agency: string; createdAt: string; movedAt: string };
}

// ---------------------------------------------------------------------------------------------
// Agencies (codes in demo-province.ts)

const DEPT = {
  homeAffairs: '000.00.02.H56',
  justice: '000.00.03.H56',
  finance: '000.00.04.H56',
  agriEnv: '000.00.07.H56',
  construction: '000.00.10.H56',
  science: '000.00.12.H56',
  infoComm: '000.00.13.H56',
  education: '000.00.14.H56',
  health: '000.00.15.H56',
  centre: '000.00.20.H56',
} as const;

/** Communes and wards of the two-level model (from 01/07/2025). */
export const DEMO_COMMUNES = DEMO_AGENCIES.filter((a) => a.level === 'commune' && !a.validTo).map((a) => a.code);

// ---------------------------------------------------------------------------------------------
// Online forms (JSON Schema draft-07 + @rjsf UI hints)

const applicantFields: Record<string, object> = {
  applicantName: { type: 'string', title: 'Họ và tên người yêu cầu', minLength: 1, maxLength: 200 },
  personalId: { type: 'string', title: 'Số định danh cá nhân', pattern: '^[0-9]{12}$' },
  phone: { type: 'string', title: 'Số điện thoại', pattern: '^(0|\\+84)[35789][0-9]{8}$' },
  email: { type: 'string', title: 'Thư điện tử', format: 'email' },
  address: { type: 'string', title: 'Địa chỉ liên hệ', minLength: 1, maxLength: 500 },
};

const businessFields: Record<string, object> = {
  businessName: { type: 'string', title: 'Tên doanh nghiệp / tổ chức', minLength: 1, maxLength: 300 },
  taxCode: { type: 'string', title: 'Mã số thuế / mã số doanh nghiệp', pattern: '^[0-9]{10}(-[0-9]{3})?$' },
  representative: { type: 'string', title: 'Người đại diện theo pháp luật', minLength: 1, maxLength: 200 },
  phone: { type: 'string', title: 'Số điện thoại', pattern: '^(0|\\+84)[35789][0-9]{8}$' },
  email: { type: 'string', title: 'Thư điện tử', format: 'email' },
  address: { type: 'string', title: 'Địa chỉ trụ sở', minLength: 1, maxLength: 500 },
};

function form(title: string, who: 'citizen' | 'business', extra: Record<string, object>, required: string[], textareas: string[] = []): OnlineForm {
  const base = who === 'citizen' ? applicantFields : businessFields;
  const baseRequired = who === 'citizen' ? ['applicantName', 'personalId', 'phone', 'address'] : ['businessName', 'taxCode', 'representative', 'phone', 'address'];
  return {
    schema: { type: 'object', title, properties: { ...base, ...extra }, required: [...baseRequired, ...required] },
    uiSchema: {
      'ui:order': [...Object.keys(base), ...Object.keys(extra)],
      ...Object.fromEntries(textareas.map((k) => [k, { 'ui:widget': 'textarea' }])),
      personalId: { 'ui:help': '12 chữ số trên thẻ căn cước' },
    },
  };
}

const requestForm = (title: string, who: 'citizen' | 'business' = 'citizen') =>
  form(title, who, { request: { type: 'string', title: 'Nội dung đề nghị', minLength: 1, maxLength: 4000 } }, ['request'], ['request']);

const gender = { type: 'string', title: 'Giới tính', enum: ['Nam', 'Nữ'] };

// ---------------------------------------------------------------------------------------------
// Building blocks

const c = (name: string, form: DemoComponent['form'] = 'original', quantity = 1, required = true, reusable = false): DemoComponent =>
  ({ name, form, quantity, required, reusable });
const idCard = c('Căn cước hoặc giấy tờ tùy thân có ảnh (xuất trình khi nộp trực tiếp; dữ liệu được khai thác từ Cơ sở dữ liệu quốc gia về dân cư khi nộp trực tuyến)', 'original', 1, true, true);
const fee = (name: string, amountVnd: number, payableOnline = true, when: FeeItem['when'] = 'before_reception', exemptions: string | null = null): FeeItem =>
  ({ name, amountVnd, exemptions, payableOnline, when });
const doc = (name: string, paper = true, electronic = true): ResultDocument => ({ name, paper, electronic });

function steps(where: string, resolve: string, extra?: string): string {
  return [
    'Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định.',
    `Bước 2: Nộp hồ sơ trực tiếp tại ${where}, qua dịch vụ bưu chính công ích, hoặc trực tuyến trên Cổng Dịch vụ công (đối với thủ tục có cung cấp dịch vụ công trực tuyến).`,
    'Bước 3: Công chức tiếp nhận kiểm tra hồ sơ: hồ sơ đầy đủ, hợp lệ thì cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả; chưa đầy đủ thì hướng dẫn bổ sung một lần bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.',
    `Bước 4: ${resolve}`,
    ...(extra ? [extra] : []),
    'Bước cuối: Trả kết quả tại nơi nộp hồ sơ, qua dịch vụ bưu chính công ích hoặc trên Cổng Dịch vụ công (bản điện tử).',
  ].join('\n');
}

const COMMUNE_DESK = 'Bộ phận Một cửa của Ủy ban nhân dân cấp xã';
const CENTRE_DESK = 'Trung tâm Phục vụ hành chính công tỉnh';
const SCIENCE_DESK = 'Bộ phận Một cửa của Sở Khoa học và Công nghệ';

const methodsFor = (level: OnlineLevel): ProcedureMethod[] => (level === 'none' ? ['in_person', 'post'] : ['in_person', 'online', 'post']);
const days = (value: number): ProcessingTime => ({ value, unit: 'working_days' });
const hours = (value: number): ProcessingTime => ({ value, unit: 'working_hours' });

type Spec = Omit<DemoProcedure, 'methods' | 'published' | 'levels' | 'applicants' | 'receiving' | 'resolving' | 'steps'> & Partial<DemoProcedure>;

/** A commune-level procedure: received and resolved by every commune and ward. */
function commune({ resolveText, ...s }: Spec & { resolveText: string }): DemoProcedure {
  return {
    receiving: DEMO_COMMUNES, resolving: DEMO_COMMUNES, levels: ['commune'], applicants: ['citizen'],
    steps: steps(COMMUNE_DESK, resolveText), methods: methodsFor(s.onlineLevel), published: true, ...s,
  };
}

/** A province-level procedure of a department, received at the provincial service centre. */
function department(dept: string, { resolveText, ...s }: Spec & { resolveText: string }): DemoProcedure {
  return {
    receiving: [DEPT.centre], resolving: [dept], levels: ['province'], applicants: ['citizen', 'business', 'organisation'],
    steps: steps(CENTRE_DESK, resolveText), methods: methodsFor(s.onlineLevel), published: true, ...s,
  };
}

/**
 * A procedure of the Department of Science and Technology, which took over the Department of
 * Information and Communications' work on 01/03/2025; received at its own one-stop desk.
 */
function science({ resolveText, fromInfoComm, ...rest }: Spec & { resolveText: string; fromInfoComm?: boolean }): DemoProcedure {
  return {
    receiving: [DEPT.science], resolving: [DEPT.science], levels: ['province'], applicants: ['business', 'organisation'],
    steps: steps(SCIENCE_DESK, resolveText), methods: methodsFor(rest.onlineLevel), published: true,
    ...(fromInfoComm && { former: { agency: DEPT.infoComm, createdAt: '2023-06-01T08:00:00+07:00', movedAt: '2025-03-01T07:30:00+07:00' } }),
    ...rest,
  };
}

const LAW = {
  civil: 'Luật Hộ tịch số 60/2014/QH13;\nNghị định số 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;\nThông tư số 04/2020/TT-BTP;\nThông tư số 85/2019/TT-BTC về phí và lệ phí thuộc thẩm quyền của Hội đồng nhân dân tỉnh.',
  cert: 'Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch;\nThông tư số 01/2020/TT-BTP;\nThông tư số 226/2016/TT-BTC quy định mức thu phí chứng thực.',
  household: 'Luật Doanh nghiệp số 59/2020/QH14;\nNghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp;\nThông tư số 68/2025/TT-BTC ban hành biểu mẫu đăng ký doanh nghiệp, hộ kinh doanh;\nNghị quyết của Hội đồng nhân dân tỉnh về lệ phí đăng ký hộ kinh doanh.',
  enterprise: 'Luật Doanh nghiệp số 59/2020/QH14;\nNghị định số 168/2025/NĐ-CP về đăng ký doanh nghiệp;\nThông tư số 47/2019/TT-BTC quy định mức thu phí, lệ phí đăng ký doanh nghiệp.',
  land: 'Luật Đất đai số 31/2024/QH15;\nNghị định số 101/2024/NĐ-CP quy định về điều tra cơ bản đất đai, đăng ký, cấp Giấy chứng nhận;\nNghị định số 151/2025/NĐ-CP về phân định thẩm quyền của chính quyền địa phương hai cấp trong lĩnh vực đất đai.',
  construction: 'Luật Xây dựng số 50/2014/QH13, sửa đổi, bổ sung bởi Luật số 62/2020/QH14;\nNghị định số 175/2024/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng.',
  road: 'Luật Đường bộ số 35/2024/QH15;\nLuật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15;\nNghị định số 158/2024/NĐ-CP quy định về hoạt động vận tải đường bộ.',
  education: 'Luật Giáo dục số 43/2019/QH14;\nThông tư số 21/2019/TT-BGDĐT ban hành Quy chế quản lý bằng tốt nghiệp trung học cơ sở, trung học phổ thông, văn bằng giáo dục đại học và chứng chỉ của hệ thống giáo dục quốc dân.',
  health: 'Luật Khám bệnh, chữa bệnh số 15/2023/QH15;\nNghị định số 96/2023/NĐ-CP quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh;\nThông tư số 44/2023/TT-BTC quy định mức thu phí trong lĩnh vực y tế.',
  pharma: 'Luật Dược số 105/2016/QH13, sửa đổi bởi Luật số 44/2024/QH15;\nNghị định số 54/2017/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Dược.',
  food: 'Luật An toàn thực phẩm số 55/2010/QH12;\nNghị định số 15/2018/NĐ-CP quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm.',
  labour: 'Bộ luật Lao động số 45/2019/QH14;\nNghị định số 152/2020/NĐ-CP về người lao động nước ngoài làm việc tại Việt Nam, sửa đổi bởi Nghị định số 70/2023/NĐ-CP;\nNghị quyết của Hội đồng nhân dân tỉnh về phí cấp giấy phép lao động.',
  justice: 'Luật Lý lịch tư pháp số 28/2009/QH12;\nNghị định số 111/2010/NĐ-CP;\nThông tư số 244/2016/TT-BTC quy định mức thu phí cung cấp thông tin lý lịch tư pháp.',
  press: 'Luật Báo chí số 103/2016/QH13;\nNghị định số 09/2017/NĐ-CP;\nThông tư số 41/2020/TT-BTTTT hướng dẫn cấp giấy phép hoạt động báo in, tạp chí in và báo điện tử, xuất bản thêm ấn phẩm, xuất bản bản tin.',
  publishing: 'Luật Xuất bản số 19/2012/QH13;\nNghị định số 195/2013/NĐ-CP, sửa đổi bởi Nghị định số 150/2018/NĐ-CP;\nNghị định số 60/2014/NĐ-CP quy định về hoạt động in.',
  internet: 'Nghị định số 147/2024/NĐ-CP về quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng;\nThông tư số 09/2014/TT-BTTTT.',
  postal: 'Luật Bưu chính số 49/2010/QH12;\nNghị định số 47/2011/NĐ-CP quy định chi tiết thi hành một số nội dung của Luật Bưu chính, sửa đổi bởi Nghị định số 25/2022/NĐ-CP;\nThông tư số 291/2016/TT-BTC quy định phí thẩm định điều kiện hoạt động bưu chính.',
  science: 'Luật Khoa học và Công nghệ số 29/2013/QH13;\nNghị định số 08/2014/NĐ-CP quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và Công nghệ.',
  merger: 'Nghị quyết của Hội đồng nhân dân tỉnh về việc thành lập Sở Khoa học và Công nghệ trên cơ sở hợp nhất Sở Thông tin và Truyền thông và Sở Khoa học và Công nghệ (từ 01/03/2025).',
};

// ---------------------------------------------------------------------------------------------
// The catalogue

export const DEMO_PROCEDURES: DemoProcedure[] = [
  // Hộ tịch (commune)
  commune({
    code: '1.001193', name: 'Đăng ký khai sinh', field: 'HO_TICH', onlineLevel: 'full', processingTime: hours(8),
    resolveText: 'Công chức tư pháp - hộ tịch kiểm tra, ghi vào Sổ đăng ký khai sinh; Chủ tịch Ủy ban nhân dân cấp xã ký Giấy khai sinh.',
    legalBasis: LAW.civil, results: [doc('Giấy khai sinh (bản chính)'), doc('Trích lục khai sinh (bản sao) nếu có yêu cầu')],
    components: [c('Tờ khai đăng ký khai sinh theo mẫu'), c('Giấy chứng sinh hoặc văn bản của người làm chứng'), idCard],
    fees: [fee('Lệ phí đăng ký khai sinh đúng hạn', 0, false, 'before_reception', 'Miễn lệ phí khi đăng ký khai sinh đúng hạn.')],
    onlineForm: form('Tờ khai đăng ký khai sinh', 'citizen', {
      childName: { type: 'string', title: 'Họ, chữ đệm, tên của trẻ', minLength: 1, maxLength: 200 },
      childBirthDate: { type: 'string', format: 'date', title: 'Ngày sinh của trẻ' },
      childGender: gender,
      birthPlace: { type: 'string', title: 'Nơi sinh', minLength: 1, maxLength: 300 },
      motherName: { type: 'string', title: 'Họ và tên mẹ', maxLength: 200 },
      fatherName: { type: 'string', title: 'Họ và tên cha', maxLength: 200 },
      relation: { type: 'string', title: 'Quan hệ với trẻ', enum: ['Cha', 'Mẹ', 'Ông', 'Bà', 'Người thân thích khác'] },
    }, ['childName', 'childBirthDate', 'childGender', 'birthPlace', 'relation']),
  }),
  commune({
    code: '1.000894', name: 'Đăng ký kết hôn', field: 'HO_TICH', onlineLevel: 'partial', processingTime: days(1),
    resolveText: 'Công chức tư pháp - hộ tịch kiểm tra điều kiện kết hôn; hai bên nam, nữ có mặt ký vào Giấy chứng nhận kết hôn và Sổ đăng ký kết hôn.',
    legalBasis: LAW.civil, results: [doc('Giấy chứng nhận kết hôn (02 bản chính)', true, false)],
    components: [c('Tờ khai đăng ký kết hôn theo mẫu'), c('Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không thường trú)', 'original', 1, false, true), idCard],
    fees: [fee('Lệ phí đăng ký kết hôn', 0, false, 'before_reception', 'Miễn lệ phí đăng ký kết hôn cho công dân Việt Nam cư trú trong nước.')],
    onlineForm: form('Tờ khai đăng ký kết hôn', 'citizen', {
      partnerName: { type: 'string', title: 'Họ và tên bên kia', minLength: 1, maxLength: 200 },
      partnerPersonalId: { type: 'string', title: 'Số định danh của bên kia', pattern: '^[0-9]{12}$' },
      appointmentPreference: { type: 'string', format: 'date', title: 'Ngày dự kiến đến ký Giấy chứng nhận kết hôn' },
    }, ['partnerName', 'partnerPersonalId']),
  }),
  commune({
    code: '1.000656', name: 'Đăng ký khai tử', field: 'HO_TICH', onlineLevel: 'full', processingTime: hours(8),
    resolveText: 'Công chức tư pháp - hộ tịch ghi vào Sổ đăng ký khai tử; Chủ tịch Ủy ban nhân dân cấp xã cấp Trích lục khai tử.',
    legalBasis: LAW.civil, results: [doc('Trích lục khai tử (bản chính)')],
    components: [c('Tờ khai đăng ký khai tử theo mẫu'), c('Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử'), idCard],
    fees: [fee('Lệ phí đăng ký khai tử đúng hạn', 0, false, 'before_reception', 'Miễn lệ phí khi đăng ký khai tử đúng hạn.')],
    onlineForm: form('Tờ khai đăng ký khai tử', 'citizen', {
      deceasedName: { type: 'string', title: 'Họ và tên người chết', minLength: 1, maxLength: 200 },
      deathDate: { type: 'string', format: 'date', title: 'Ngày chết' },
      deathPlace: { type: 'string', title: 'Nơi chết', minLength: 1, maxLength: 300 },
      cause: { type: 'string', title: 'Nguyên nhân chết', maxLength: 500 },
    }, ['deceasedName', 'deathDate', 'deathPlace']),
  }),
  commune({
    code: '2.000635', name: 'Cấp bản sao Trích lục hộ tịch', field: 'HO_TICH', onlineLevel: 'full', processingTime: hours(8),
    resolveText: 'Công chức tư pháp - hộ tịch tra cứu Sổ hộ tịch, Cơ sở dữ liệu hộ tịch điện tử và cấp bản sao trích lục.',
    legalBasis: LAW.civil, results: [doc('Bản sao Trích lục hộ tịch')],
    components: [c('Tờ khai cấp bản sao trích lục hộ tịch theo mẫu'), idCard],
    fees: [fee('Phí cấp bản sao trích lục hộ tịch', 8_000, true, 'before_result', 'Miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.')],
    onlineForm: form('Tờ khai cấp bản sao trích lục hộ tịch', 'citizen', {
      kind: { type: 'string', title: 'Loại trích lục', enum: ['Khai sinh', 'Kết hôn', 'Khai tử', 'Nhận cha, mẹ, con', 'Thay đổi, cải chính hộ tịch'] },
      copies: { type: 'integer', title: 'Số bản', minimum: 1, maximum: 20, default: 1 },
      subjectName: { type: 'string', title: 'Họ và tên người được cấp trích lục', minLength: 1, maxLength: 200 },
    }, ['kind', 'copies', 'subjectName']),
  }),
  commune({
    code: '1.004873', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', field: 'HO_TICH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Công chức tư pháp - hộ tịch kiểm tra, xác minh tình trạng hôn nhân; Chủ tịch Ủy ban nhân dân cấp xã ký Giấy xác nhận.',
    legalBasis: LAW.civil, results: [doc('Giấy xác nhận tình trạng hôn nhân')],
    components: [c('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu'), c('Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng (nếu có)', 'copy', 1, false, true), idCard],
    fees: [fee('Lệ phí cấp Giấy xác nhận tình trạng hôn nhân', 0, false)],
    onlineForm: requestForm('Đề nghị cấp Giấy xác nhận tình trạng hôn nhân'),
  }),
  commune({
    code: '1.001022', name: 'Đăng ký nhận cha, mẹ, con', field: 'HO_TICH', onlineLevel: 'partial', processingTime: days(3),
    resolveText: 'Công chức tư pháp - hộ tịch niêm yết, xác minh; Chủ tịch Ủy ban nhân dân cấp xã quyết định và cấp Trích lục đăng ký nhận cha, mẹ, con.',
    legalBasis: LAW.civil, results: [doc('Trích lục đăng ký nhận cha, mẹ, con')],
    components: [c('Tờ khai đăng ký nhận cha, mẹ, con theo mẫu'), c('Văn bản của cơ quan y tế, giám định xác nhận quan hệ cha, mẹ, con hoặc chứng cứ khác'), idCard],
    fees: [fee('Lệ phí đăng ký nhận cha, mẹ, con', 15_000, true)],
    onlineForm: requestForm('Tờ khai đăng ký nhận cha, mẹ, con'),
  }),
  commune({
    code: '1.004859', name: 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', field: 'HO_TICH', onlineLevel: 'partial', processingTime: days(3),
    resolveText: 'Công chức tư pháp - hộ tịch kiểm tra căn cứ thay đổi, cải chính; ghi vào Sổ hộ tịch và cấp Trích lục.',
    legalBasis: LAW.civil, results: [doc('Trích lục thay đổi, cải chính hộ tịch')],
    components: [c('Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch'), c('Giấy tờ làm căn cứ thay đổi, cải chính', 'copy'), idCard],
    fees: [fee('Lệ phí thay đổi, cải chính hộ tịch', 15_000, true)],
    onlineForm: requestForm('Đề nghị thay đổi, cải chính, bổ sung thông tin hộ tịch'),
  }),
  commune({
    code: '1.000689', name: 'Đăng ký giám hộ', field: 'HO_TICH', onlineLevel: 'none', processingTime: days(3),
    resolveText: 'Công chức tư pháp - hộ tịch ghi vào Sổ đăng ký giám hộ; cấp Trích lục đăng ký giám hộ.',
    legalBasis: LAW.civil, results: [doc('Trích lục đăng ký giám hộ', true, false)],
    components: [c('Tờ khai đăng ký giám hộ theo mẫu'), c('Văn bản cử người giám hộ'), idCard],
    fees: [], onlineForm: null,
  }),
  commune({
    code: '1.003583', name: 'Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    field: 'HO_TICH', onlineLevel: 'full', processingTime: days(5),
    resolveText: 'Ủy ban nhân dân cấp xã đăng ký khai sinh, chuyển thông tin để cơ quan Công an đăng ký thường trú và Bảo hiểm xã hội cấp thẻ bảo hiểm y tế.',
    legalBasis: `${LAW.civil}\nNghị định số 63/2024/NĐ-CP về liên thông thủ tục hành chính.`,
    results: [doc('Giấy khai sinh'), doc('Thông báo kết quả đăng ký thường trú', false, true), doc('Thẻ bảo hiểm y tế của trẻ', false, true)],
    components: [c('Tờ khai điện tử liên thông theo mẫu'), c('Giấy chứng sinh', 'copy'), idCard],
    fees: [], onlineForm: form('Tờ khai liên thông khai sinh - thường trú - bảo hiểm y tế', 'citizen', {
      childName: { type: 'string', title: 'Họ, chữ đệm, tên của trẻ', minLength: 1, maxLength: 200 },
      childBirthDate: { type: 'string', format: 'date', title: 'Ngày sinh của trẻ' },
      childGender: gender,
      permanentAddress: { type: 'string', title: 'Nơi đăng ký thường trú', minLength: 1, maxLength: 500 },
    }, ['childName', 'childBirthDate', 'childGender', 'permanentAddress']),
  }),

  // Chứng thực (commune)
  commune({
    code: '2.000815', name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp', field: 'CHUNG_THUC',
    onlineLevel: 'partial', processingTime: hours(4), applicants: ['citizen', 'business', 'organisation'],
    resolveText: 'Người thực hiện chứng thực đối chiếu bản chính với bản sao, ký, ghi lời chứng và đóng dấu.',
    legalBasis: LAW.cert, results: [doc('Bản sao được chứng thực từ bản chính', true, true)],
    components: [c('Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao'), c('Bản sao cần chứng thực', 'copy')],
    fees: [fee('Phí chứng thực bản sao từ bản chính', 2_000, true, 'before_result', '2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản.')],
    onlineForm: requestForm('Đề nghị chứng thực bản sao điện tử từ bản chính'),
  }),
  commune({
    code: '2.000884', name: 'Chứng thực chữ ký trong các giấy tờ, văn bản', field: 'CHUNG_THUC', onlineLevel: 'none', processingTime: hours(4),
    resolveText: 'Người yêu cầu ký trước mặt người thực hiện chứng thực; người thực hiện chứng thực ghi lời chứng, ký và đóng dấu.',
    legalBasis: LAW.cert, results: [doc('Giấy tờ, văn bản đã được chứng thực chữ ký', true, false)],
    components: [idCard, c('Giấy tờ, văn bản cần chứng thực chữ ký')],
    fees: [fee('Phí chứng thực chữ ký', 10_000, false, 'before_result')], onlineForm: null,
  }),
  commune({
    code: '2.001035', name: 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở', field: 'CHUNG_THUC',
    onlineLevel: 'none', processingTime: days(2),
    resolveText: 'Người thực hiện chứng thực kiểm tra hồ sơ, các bên ký trước mặt; ghi lời chứng, ký và đóng dấu.',
    legalBasis: LAW.cert, results: [doc('Hợp đồng, giao dịch đã được chứng thực', true, false)],
    components: [c('Dự thảo hợp đồng, giao dịch'), idCard, c('Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở', 'copy')],
    fees: [fee('Phí chứng thực hợp đồng, giao dịch', 50_000, false, 'before_result'), fee('Phí sửa đổi, bổ sung hợp đồng đã chứng thực', 30_000, false, 'before_result')],
    onlineForm: null,
  }),

  // Đăng ký kinh doanh: hộ kinh doanh (commune)
  commune({
    code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh', field: 'HO_KINH_DOANH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Phòng Kinh tế (Ủy ban nhân dân cấp xã) kiểm tra tính hợp lệ của hồ sơ và cấp Giấy chứng nhận đăng ký hộ kinh doanh; hồ sơ không hợp lệ thì thông báo bằng văn bản nêu rõ lý do.',
    legalBasis: LAW.household, applicants: ['citizen'],
    results: [doc('Giấy chứng nhận đăng ký hộ kinh doanh')],
    components: [
      c('Giấy đề nghị đăng ký hộ kinh doanh theo mẫu'),
      c('Bản sao giấy tờ pháp lý của cá nhân đối với các thành viên hộ gia đình đăng ký hộ kinh doanh', 'copy', 1, true, true),
      c('Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (trường hợp các thành viên cùng đăng ký)', 'original', 1, false),
      c('Văn bản ủy quyền cho thành viên làm chủ hộ kinh doanh (nếu có)', 'original', 1, false),
    ],
    fees: [fee('Lệ phí đăng ký hộ kinh doanh', 100_000, true, 'before_reception', 'Miễn lệ phí khi đăng ký qua mạng điện tử theo nghị quyết của Hội đồng nhân dân tỉnh (nếu có).')],
    onlineForm: form('Giấy đề nghị đăng ký hộ kinh doanh', 'citizen', {
      householdBusinessName: { type: 'string', title: 'Tên hộ kinh doanh', minLength: 1, maxLength: 200 },
      businessAddress: { type: 'string', title: 'Địa điểm kinh doanh', minLength: 1, maxLength: 500 },
      businessLines: { type: 'array', title: 'Ngành, nghề kinh doanh', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 300 } },
      capital: { type: 'integer', title: 'Vốn kinh doanh (đồng)', minimum: 0 },
      employees: { type: 'integer', title: 'Số lao động', minimum: 0, maximum: 10000 },
    }, ['householdBusinessName', 'businessAddress', 'businessLines', 'capital']),
  }),
  commune({
    code: '1.001266', name: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', field: 'HO_KINH_DOANH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Ủy ban nhân dân cấp xã kiểm tra hồ sơ và cấp Giấy chứng nhận đăng ký hộ kinh doanh mới.',
    legalBasis: LAW.household, results: [doc('Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới theo nội dung thay đổi)')],
    components: [c('Thông báo thay đổi nội dung đăng ký hộ kinh doanh theo mẫu'), c('Giấy chứng nhận đăng ký hộ kinh doanh đã cấp', 'original', 1, true, true)],
    fees: [fee('Lệ phí thay đổi nội dung đăng ký hộ kinh doanh', 50_000, true)],
    onlineForm: requestForm('Thông báo thay đổi nội dung đăng ký hộ kinh doanh'),
  }),
  commune({
    code: '2.000575', name: 'Tạm ngừng hoạt động hộ kinh doanh', field: 'HO_KINH_DOANH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Ủy ban nhân dân cấp xã ghi nhận và cấp Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh.',
    legalBasis: LAW.household, results: [doc('Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh')],
    components: [c('Thông báo về việc tạm ngừng kinh doanh theo mẫu')],
    fees: [], onlineForm: requestForm('Thông báo tạm ngừng kinh doanh'),
  }),
  commune({
    code: '2.000720', name: 'Chấm dứt hoạt động hộ kinh doanh', field: 'HO_KINH_DOANH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Ủy ban nhân dân cấp xã ra thông báo chấm dứt hoạt động hộ kinh doanh.',
    legalBasis: LAW.household, results: [doc('Thông báo về việc chấm dứt hoạt động hộ kinh doanh')],
    components: [c('Thông báo về việc chấm dứt hoạt động hộ kinh doanh theo mẫu'), c('Giấy chứng nhận đăng ký hộ kinh doanh')],
    fees: [], onlineForm: requestForm('Thông báo chấm dứt hoạt động hộ kinh doanh'),
  }),
  commune({
    code: '2.000783', name: 'Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh', field: 'HO_KINH_DOANH', onlineLevel: 'full', processingTime: days(3),
    resolveText: 'Ủy ban nhân dân cấp xã cấp lại Giấy chứng nhận đăng ký hộ kinh doanh.',
    legalBasis: LAW.household, results: [doc('Giấy chứng nhận đăng ký hộ kinh doanh (cấp lại)')],
    components: [c('Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh')],
    fees: [fee('Lệ phí cấp lại Giấy chứng nhận đăng ký hộ kinh doanh', 50_000, true)],
    onlineForm: requestForm('Đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh'),
  }),

  // Thành lập và hoạt động doanh nghiệp (Department of Finance, successor of Planning and Investment)
  ...([
    ['2.001610', 'Đăng ký thành lập doanh nghiệp tư nhân', 'Giấy đề nghị đăng ký doanh nghiệp tư nhân'],
    ['1.005378', 'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên', 'Giấy đề nghị đăng ký công ty trách nhiệm hữu hạn một thành viên'],
    ['2.002036', 'Đăng ký thành lập công ty cổ phần', 'Giấy đề nghị đăng ký công ty cổ phần'],
  ] as const).map(([code, name, request]) => department(DEPT.finance, {
    code, name, field: 'DOANH_NGHIEP', onlineLevel: 'full', processingTime: days(3), applicants: ['citizen', 'business', 'organisation'],
    resolveText: 'Phòng Đăng ký kinh doanh thuộc Sở Tài chính xem xét tính hợp lệ của hồ sơ, cấp Giấy chứng nhận đăng ký doanh nghiệp và công bố nội dung đăng ký.',
    legalBasis: LAW.enterprise, results: [doc('Giấy chứng nhận đăng ký doanh nghiệp')],
    components: [c(request), c('Điều lệ công ty (trừ doanh nghiệp tư nhân)', 'original', 1, false), c('Danh sách thành viên, cổ đông sáng lập (nếu có)', 'original', 1, false), c('Bản sao giấy tờ pháp lý của cá nhân là người đại diện theo pháp luật', 'copy', 1, true, true)],
    fees: [fee('Lệ phí đăng ký doanh nghiệp', 50_000, true, 'before_reception', 'Miễn lệ phí khi đăng ký qua mạng thông tin điện tử.'), fee('Phí công bố nội dung đăng ký doanh nghiệp', 100_000, true)],
    onlineForm: form(request, 'business', {
      proposedName: { type: 'string', title: 'Tên doanh nghiệp dự kiến', minLength: 1, maxLength: 300 },
      charterCapital: { type: 'integer', title: 'Vốn điều lệ (đồng)', minimum: 0 },
      businessLines: { type: 'array', title: 'Ngành, nghề kinh doanh (mã VSIC)', minItems: 1, items: { type: 'string', pattern: '^[0-9]{4}$' } },
    }, ['proposedName', 'charterCapital', 'businessLines']),
  })),
  department(DEPT.finance, {
    code: '2.002049', name: 'Đăng ký thay đổi người đại diện theo pháp luật của công ty', field: 'DOANH_NGHIEP', onlineLevel: 'full', processingTime: days(3),
    applicants: ['business'],
    resolveText: 'Phòng Đăng ký kinh doanh kiểm tra hồ sơ và cấp Giấy chứng nhận đăng ký doanh nghiệp mới.',
    legalBasis: LAW.enterprise, results: [doc('Giấy chứng nhận đăng ký doanh nghiệp (thay đổi)')],
    components: [c('Thông báo thay đổi người đại diện theo pháp luật'), c('Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên, Đại hội đồng cổ đông')],
    fees: [fee('Lệ phí đăng ký thay đổi', 50_000, true, 'before_reception', 'Miễn lệ phí khi đăng ký qua mạng thông tin điện tử.')],
    onlineForm: requestForm('Thông báo thay đổi người đại diện theo pháp luật', 'business'),
  }),

  // Đất đai
  department(DEPT.agriEnv, {
    code: '1.012768', name: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu cho tổ chức', field: 'DAT_DAI', onlineLevel: 'partial',
    processingTime: days(20), applicants: ['organisation', 'business'],
    resolveText: 'Văn phòng đăng ký đất đai kiểm tra hồ sơ, đo đạc (nếu cần), xác định nghĩa vụ tài chính; Sở Nông nghiệp và Môi trường ký Giấy chứng nhận.',
    legalBasis: LAW.land, results: [doc('Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', true, false)],
    components: [c('Đơn đăng ký đất đai, tài sản gắn liền với đất theo Mẫu số 04/ĐK'), c('Giấy tờ về quyền sử dụng đất', 'certified_copy'), c('Mảnh trích đo bản đồ địa chính (nếu có)', 'original', 1, false), c('Chứng từ thực hiện nghĩa vụ tài chính', 'copy', 1, false)],
    fees: [fee('Lệ phí cấp Giấy chứng nhận', 100_000, true, 'before_result'), fee('Phí thẩm định hồ sơ cấp Giấy chứng nhận', 1_500_000, true, 'before_processing', 'Mức thu theo diện tích và mục đích sử dụng đất.')],
    onlineForm: requestForm('Đơn đăng ký đất đai, tài sản gắn liền với đất', 'business'),
  }),
  commune({
    code: '1.012790', name: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế',
    field: 'DAT_DAI', onlineLevel: 'partial', processingTime: days(10),
    resolveText: 'Chi nhánh Văn phòng đăng ký đất đai kiểm tra, cập nhật biến động vào hồ sơ địa chính, xác nhận trên Giấy chứng nhận hoặc cấp Giấy chứng nhận mới.',
    legalBasis: LAW.land, results: [doc('Giấy chứng nhận đã xác nhận nội dung biến động hoặc Giấy chứng nhận mới', true, false)],
    components: [c('Đơn đăng ký biến động đất đai theo Mẫu số 11/ĐK'), c('Hợp đồng, văn bản chuyển nhượng, tặng cho, thừa kế đã công chứng, chứng thực'), c('Giấy chứng nhận đã cấp'), c('Tờ khai lệ phí trước bạ, tờ khai thuế thu nhập cá nhân')],
    fees: [fee('Lệ phí đăng ký biến động', 30_000, true, 'before_result'), fee('Phí thẩm định hồ sơ', 500_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đăng ký biến động đất đai'),
  }),
  commune({
    code: '1.012795', name: 'Tách thửa hoặc hợp thửa đất', field: 'DAT_DAI', onlineLevel: 'partial', processingTime: days(15),
    resolveText: 'Chi nhánh Văn phòng đăng ký đất đai đo đạc, chỉnh lý bản đồ địa chính và cấp Giấy chứng nhận cho các thửa đất mới.',
    legalBasis: LAW.land, results: [doc('Giấy chứng nhận cho thửa đất sau tách, hợp thửa', true, false)],
    components: [c('Đơn đề nghị tách thửa đất, hợp thửa đất theo Mẫu số 01/ĐK'), c('Bản vẽ tách thửa, hợp thửa đất'), c('Giấy chứng nhận đã cấp')],
    fees: [fee('Phí đo đạc, lập bản đồ địa chính', 800_000, true, 'before_processing'), fee('Lệ phí cấp Giấy chứng nhận', 50_000, true, 'before_result')],
    onlineForm: requestForm('Đơn đề nghị tách thửa, hợp thửa đất'),
  }),
  commune({
    code: '1.012801', name: 'Cấp đổi Giấy chứng nhận quyền sử dụng đất', field: 'DAT_DAI', onlineLevel: 'partial', processingTime: days(7),
    resolveText: 'Chi nhánh Văn phòng đăng ký đất đai kiểm tra, cập nhật hồ sơ địa chính và cấp đổi Giấy chứng nhận.',
    legalBasis: LAW.land, results: [doc('Giấy chứng nhận (cấp đổi)', true, false)],
    components: [c('Đơn đăng ký biến động đất đai theo Mẫu số 11/ĐK'), c('Giấy chứng nhận đã cấp')],
    fees: [fee('Lệ phí cấp đổi Giấy chứng nhận', 50_000, true, 'before_result')],
    onlineForm: requestForm('Đơn đề nghị cấp đổi Giấy chứng nhận'),
  }),
  commune({
    code: '1.012805', name: 'Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân',
    field: 'DAT_DAI', onlineLevel: 'none', processingTime: days(15),
    resolveText: 'Phòng Kinh tế thẩm tra hồ sơ, xác minh thực địa; Chủ tịch Ủy ban nhân dân cấp xã quyết định cho phép chuyển mục đích sử dụng đất.',
    legalBasis: LAW.land, results: [doc('Quyết định cho phép chuyển mục đích sử dụng đất', true, false)],
    components: [c('Đơn xin chuyển mục đích sử dụng đất theo mẫu'), c('Giấy chứng nhận đã cấp')],
    fees: [fee('Phí thẩm định hồ sơ chuyển mục đích sử dụng đất', 300_000, false, 'before_processing')], onlineForm: null,
  }),

  // Xây dựng
  commune({
    code: '1.009994', name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', field: 'XAY_DUNG', onlineLevel: 'partial', processingTime: days(15),
    resolveText: 'Ủy ban nhân dân cấp xã thẩm định hồ sơ, kiểm tra thực địa và cấp giấy phép xây dựng.',
    legalBasis: LAW.construction, results: [doc('Giấy phép xây dựng kèm bản vẽ được đóng dấu', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép xây dựng theo mẫu'), c('Giấy tờ chứng minh quyền sử dụng đất', 'certified_copy', 1, true, true), c('02 bộ bản vẽ thiết kế xây dựng', 'original', 2), c('Bản kê khai kinh nghiệm của tổ chức, cá nhân thiết kế (nếu có)', 'original', 1, false)],
    fees: [fee('Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ', 75_000, true, 'before_result')],
    onlineForm: form('Đơn đề nghị cấp giấy phép xây dựng', 'citizen', {
      plotNumber: { type: 'string', title: 'Thửa đất số', minLength: 1, maxLength: 50 },
      mapSheet: { type: 'string', title: 'Tờ bản đồ số', minLength: 1, maxLength: 50 },
      siteAddress: { type: 'string', title: 'Địa điểm xây dựng', minLength: 1, maxLength: 500 },
      floors: { type: 'integer', title: 'Số tầng', minimum: 1, maximum: 50 },
      floorArea: { type: 'number', title: 'Tổng diện tích sàn (m²)', exclusiveMinimum: 0 },
    }, ['plotNumber', 'mapSheet', 'siteAddress', 'floors', 'floorArea']),
  }),
  department(DEPT.construction, {
    code: '1.009972', name: 'Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II', field: 'XAY_DUNG', onlineLevel: 'partial',
    processingTime: days(20), applicants: ['business', 'organisation'],
    resolveText: 'Sở Xây dựng thẩm định hồ sơ, lấy ý kiến các cơ quan liên quan, kiểm tra thực địa và cấp giấy phép xây dựng.',
    legalBasis: LAW.construction, results: [doc('Giấy phép xây dựng kèm hồ sơ thiết kế được đóng dấu')],
    components: [c('Đơn đề nghị cấp giấy phép xây dựng theo mẫu'), c('Giấy tờ chứng minh quyền sử dụng đất', 'certified_copy'), c('Quyết định phê duyệt dự án, văn bản thông báo kết quả thẩm định', 'copy'), c('02 bộ bản vẽ thiết kế xây dựng', 'original', 2)],
    fees: [fee('Lệ phí cấp giấy phép xây dựng công trình', 150_000, true, 'before_result')],
    onlineForm: requestForm('Đơn đề nghị cấp giấy phép xây dựng công trình', 'business'),
  }),
  commune({
    code: '1.009995', name: 'Gia hạn giấy phép xây dựng', field: 'XAY_DUNG', onlineLevel: 'full', processingTime: days(5),
    resolveText: 'Cơ quan cấp giấy phép xem xét và ghi gia hạn vào giấy phép xây dựng đã cấp.',
    legalBasis: LAW.construction, results: [doc('Giấy phép xây dựng được gia hạn')],
    components: [c('Đơn đề nghị gia hạn giấy phép xây dựng'), c('Bản chính giấy phép xây dựng đã được cấp')],
    fees: [fee('Lệ phí gia hạn giấy phép xây dựng', 15_000, true, 'before_result')],
    onlineForm: requestForm('Đơn đề nghị gia hạn giấy phép xây dựng'),
  }),
  department(DEPT.construction, {
    code: '1.009985', name: 'Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III', field: 'XAY_DUNG', onlineLevel: 'full', processingTime: days(20),
    applicants: ['citizen'],
    resolveText: 'Hội đồng xét cấp chứng chỉ đánh giá năng lực, tổ chức sát hạch; Giám đốc Sở Xây dựng cấp chứng chỉ.',
    legalBasis: LAW.construction, results: [doc('Chứng chỉ hành nghề hoạt động xây dựng', false, true)],
    components: [c('Đơn đề nghị cấp chứng chỉ hành nghề theo mẫu'), c('Văn bằng đào tạo chuyên môn', 'copy', 1, true, true), c('Bản khai kinh nghiệm công việc chuyên môn'), c('Ảnh màu cỡ 4x6 cm', 'original', 2)],
    fees: [fee('Lệ phí cấp chứng chỉ hành nghề', 150_000, true), fee('Phí sát hạch cấp chứng chỉ hành nghề', 300_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp chứng chỉ hành nghề hoạt động xây dựng'),
  }),

  // Giao thông (Department of Construction, successor of Transport)
  department(DEPT.construction, {
    code: '1.002856', name: 'Cấp Giấy phép kinh doanh vận tải bằng xe ô tô', field: 'GIAO_THONG', onlineLevel: 'full', processingTime: days(5),
    applicants: ['business'],
    resolveText: 'Sở Xây dựng thẩm định hồ sơ, cấp Giấy phép kinh doanh vận tải bằng xe ô tô.',
    legalBasis: LAW.road, results: [doc('Giấy phép kinh doanh vận tải bằng xe ô tô', false, true)],
    components: [c('Giấy đề nghị cấp Giấy phép kinh doanh vận tải bằng xe ô tô'), c('Bản sao văn bằng, chứng chỉ của người trực tiếp điều hành vận tải', 'copy'), c('Phương án kinh doanh vận tải')],
    fees: [fee('Lệ phí cấp Giấy phép kinh doanh vận tải', 200_000, true)],
    onlineForm: requestForm('Giấy đề nghị cấp Giấy phép kinh doanh vận tải', 'business'),
  }),
  department(DEPT.construction, {
    code: '1.002861', name: 'Cấp phù hiệu xe ô tô kinh doanh vận tải', field: 'GIAO_THONG', onlineLevel: 'full', processingTime: days(2),
    applicants: ['business'],
    resolveText: 'Sở Xây dựng kiểm tra dữ liệu giám sát hành trình và cấp phù hiệu.',
    legalBasis: LAW.road, results: [doc('Phù hiệu xe ô tô kinh doanh vận tải', true, true)],
    components: [c('Giấy đề nghị cấp phù hiệu theo mẫu'), c('Giấy đăng ký xe ô tô', 'copy', 1, true, true)],
    fees: [], onlineForm: requestForm('Giấy đề nghị cấp phù hiệu xe', 'business'),
  }),
  department(DEPT.construction, {
    code: '1.001035', name: 'Cấp giấy phép thi công công trình trên đường bộ đang khai thác', field: 'GIAO_THONG', onlineLevel: 'partial',
    processingTime: days(7), applicants: ['business', 'organisation'],
    resolveText: 'Sở Xây dựng thẩm định biện pháp tổ chức thi công, bảo đảm an toàn giao thông và cấp giấy phép.',
    legalBasis: LAW.road, results: [doc('Giấy phép thi công')],
    components: [c('Đơn đề nghị cấp giấy phép thi công'), c('Văn bản chấp thuận xây dựng của cơ quan có thẩm quyền', 'copy'), c('Hồ sơ thiết kế và biện pháp tổ chức thi công bảo đảm an toàn giao thông')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép thi công', 'business'),
  }),
  department(DEPT.construction, {
    code: '1.001047', name: 'Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ', field: 'GIAO_THONG', onlineLevel: 'full',
    processingTime: days(2), applicants: ['business', 'citizen'],
    resolveText: 'Sở Xây dựng khảo sát tuyến (nếu cần) và cấp giấy phép lưu hành xe.',
    legalBasis: LAW.road, results: [doc('Giấy phép lưu hành xe', false, true)],
    components: [c('Đơn đề nghị cấp giấy phép lưu hành xe'), c('Giấy đăng ký xe và giấy chứng nhận kiểm định', 'copy')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép lưu hành xe', 'business'),
  }),
  commune({
    code: '1.003930', name: 'Đăng ký lần đầu đối với phương tiện thủy nội địa', field: 'GIAO_THONG', onlineLevel: 'none', processingTime: days(3),
    resolveText: 'Ủy ban nhân dân cấp xã kiểm tra phương tiện và cấp Giấy chứng nhận đăng ký phương tiện thủy nội địa.',
    legalBasis: 'Luật Giao thông đường thủy nội địa số 23/2004/QH11, sửa đổi năm 2014;\nThông tư số 75/2014/TT-BGTVT quy định về đăng ký phương tiện thủy nội địa.',
    results: [doc('Giấy chứng nhận đăng ký phương tiện thủy nội địa', true, false)],
    components: [c('Đơn đề nghị đăng ký phương tiện thủy nội địa'), c('Biên lai nộp lệ phí trước bạ', 'copy'), idCard],
    fees: [fee('Lệ phí đăng ký phương tiện', 70_000, false)], onlineForm: null,
  }),

  // Giáo dục
  department(DEPT.education, {
    code: '2.001914', name: 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', field: 'GIAO_DUC', onlineLevel: 'full', processingTime: days(2),
    applicants: ['citizen'],
    resolveText: 'Sở Giáo dục và Đào tạo đối chiếu sổ gốc và cấp bản sao văn bằng, chứng chỉ.',
    legalBasis: `${LAW.education}\nNghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc.`, results: [doc('Bản sao văn bằng, chứng chỉ từ sổ gốc')],
    components: [c('Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc'), idCard],
    fees: [fee('Phí cấp bản sao từ sổ gốc', 3_000, true, 'before_result', '3.000 đồng/bản.')],
    onlineForm: form('Đơn đề nghị cấp bản sao văn bằng, chứng chỉ', 'citizen', {
      diploma: { type: 'string', title: 'Tên văn bằng, chứng chỉ', enum: ['Bằng tốt nghiệp trung học cơ sở', 'Bằng tốt nghiệp trung học phổ thông', 'Chứng chỉ ngoại ngữ, tin học'] },
      graduationYear: { type: 'integer', title: 'Năm tốt nghiệp', minimum: 1975, maximum: 2100 },
      school: { type: 'string', title: 'Trường', minLength: 1, maxLength: 300 },
      copies: { type: 'integer', title: 'Số bản sao', minimum: 1, maximum: 10, default: 1 },
    }, ['diploma', 'graduationYear', 'school', 'copies']),
  }),
  department(DEPT.education, {
    code: '1.005095', name: 'Chỉnh sửa nội dung văn bằng, chứng chỉ', field: 'GIAO_DUC', onlineLevel: 'partial', processingTime: days(5), applicants: ['citizen'],
    resolveText: 'Sở Giáo dục và Đào tạo xem xét và quyết định chỉnh sửa văn bằng, chứng chỉ.',
    legalBasis: LAW.education, results: [doc('Quyết định chỉnh sửa văn bằng, chứng chỉ', true, true)],
    components: [c('Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ'), c('Văn bằng, chứng chỉ đề nghị chỉnh sửa'), c('Trích lục hoặc quyết định thay đổi, cải chính hộ tịch', 'copy', 1, true, true)],
    fees: [], onlineForm: requestForm('Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ'),
  }),
  department(DEPT.education, {
    code: '1.004438', name: 'Chuyển trường đối với học sinh trung học phổ thông', field: 'GIAO_DUC', onlineLevel: 'full', processingTime: days(3), applicants: ['citizen'],
    resolveText: 'Hiệu trưởng trường nơi đến tiếp nhận; Sở Giáo dục và Đào tạo giới thiệu chuyển trường khi chuyển giữa các tỉnh.',
    legalBasis: 'Thông tư số 50/2021/TT-BGDĐT về chuyển trường và tiếp nhận học sinh học tại các cơ sở giáo dục phổ thông.',
    results: [doc('Giấy giới thiệu chuyển trường')],
    components: [c('Đơn xin chuyển trường do cha mẹ hoặc người giám hộ ký'), c('Học bạ', 'original'), c('Giấy xác nhận hoàn thành chương trình học kỳ (nếu chuyển giữa năm)', 'original', 1, false)],
    fees: [], onlineForm: form('Đơn xin chuyển trường', 'citizen', {
      studentName: { type: 'string', title: 'Họ và tên học sinh', minLength: 1, maxLength: 200 },
      grade: { type: 'integer', title: 'Lớp', minimum: 10, maximum: 12 },
      fromSchool: { type: 'string', title: 'Trường đang học', minLength: 1, maxLength: 300 },
      toSchool: { type: 'string', title: 'Trường xin chuyển đến', minLength: 1, maxLength: 300 },
      reason: { type: 'string', title: 'Lý do', maxLength: 2000 },
    }, ['studentName', 'grade', 'fromSchool', 'toSchool'], ['reason']),
  }),
  commune({
    code: '1.004492', name: 'Cho phép trường mầm non, nhà trẻ tư thục hoạt động giáo dục', field: 'GIAO_DUC', onlineLevel: 'partial', processingTime: days(20),
    applicants: ['organisation', 'business', 'citizen'],
    resolveText: 'Phòng Văn hóa - Xã hội thẩm định, kiểm tra thực tế; Chủ tịch Ủy ban nhân dân cấp xã quyết định cho phép hoạt động giáo dục.',
    legalBasis: 'Nghị định số 125/2024/NĐ-CP quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục.',
    results: [doc('Quyết định cho phép hoạt động giáo dục')],
    components: [c('Tờ trình đề nghị cho phép hoạt động giáo dục'), c('Quyết định thành lập hoặc cho phép thành lập', 'copy'), c('Danh sách đội ngũ cán bộ quản lý, giáo viên kèm văn bằng', 'copy'), c('Văn bản chứng minh cơ sở vật chất, thiết bị')],
    fees: [], onlineForm: requestForm('Tờ trình đề nghị cho phép hoạt động giáo dục', 'business'),
  }),
  department(DEPT.education, {
    code: '1.005142', name: 'Phúc khảo bài thi tốt nghiệp trung học phổ thông', field: 'GIAO_DUC', onlineLevel: 'full', processingTime: days(10), applicants: ['citizen'],
    resolveText: 'Hội đồng thi tổ chức chấm phúc khảo; Sở Giáo dục và Đào tạo công bố kết quả phúc khảo.',
    legalBasis: 'Thông tư số 24/2024/TT-BGDĐT ban hành Quy chế thi tốt nghiệp trung học phổ thông.',
    results: [doc('Thông báo kết quả phúc khảo', false, true)],
    components: [c('Đơn phúc khảo bài thi theo mẫu')],
    fees: [fee('Phí phúc khảo bài thi', 30_000, true, 'before_reception', '30.000 đồng/môn thi.')],
    onlineForm: form('Đơn phúc khảo bài thi', 'citizen', {
      candidateNumber: { type: 'string', title: 'Số báo danh', pattern: '^[0-9]{8}$' },
      subjects: { type: 'array', title: 'Môn đề nghị phúc khảo', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['Toán', 'Ngữ văn', 'Tiếng Anh', 'Vật lí', 'Hóa học', 'Sinh học', 'Lịch sử', 'Địa lí'] } },
    }, ['candidateNumber', 'subjects']),
  }),

  // Y tế
  department(DEPT.health, {
    code: '1.012280', name: 'Cấp giấy phép hành nghề khám bệnh, chữa bệnh đối với chức danh bác sỹ', field: 'Y_TE', onlineLevel: 'partial', processingTime: days(30),
    applicants: ['citizen'],
    resolveText: 'Sở Y tế thẩm định hồ sơ, kết quả kiểm tra đánh giá năng lực hành nghề và cấp giấy phép hành nghề.',
    legalBasis: LAW.health, results: [doc('Giấy phép hành nghề khám bệnh, chữa bệnh', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép hành nghề theo mẫu'), c('Văn bằng chuyên môn', 'certified_copy', 1, true, true), c('Giấy chứng nhận đủ sức khỏe để hành nghề'), c('Văn bản xác nhận hoàn thành thực hành')],
    fees: [fee('Phí thẩm định cấp giấy phép hành nghề', 360_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp giấy phép hành nghề khám bệnh, chữa bệnh'),
  }),
  department(DEPT.health, {
    code: '1.012290', name: 'Cấp giấy phép hoạt động đối với phòng khám đa khoa', field: 'Y_TE', onlineLevel: 'partial', processingTime: days(30),
    applicants: ['business', 'organisation'],
    resolveText: 'Sở Y tế thẩm định hồ sơ, thẩm định tại cơ sở và cấp giấy phép hoạt động.',
    legalBasis: LAW.health, results: [doc('Giấy phép hoạt động khám bệnh, chữa bệnh')],
    components: [c('Đơn đề nghị cấp giấy phép hoạt động'), c('Danh sách người hành nghề'), c('Bản kê khai cơ sở vật chất, thiết bị y tế'), c('Giấy chứng nhận đăng ký doanh nghiệp', 'copy', 1, true, true)],
    fees: [fee('Phí thẩm định cấp giấy phép hoạt động', 5_700_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp giấy phép hoạt động phòng khám', 'business'),
  }),
  department(DEPT.health, {
    code: '1.004616', name: 'Cấp Chứng chỉ hành nghề dược', field: 'Y_TE', onlineLevel: 'full', processingTime: days(20), applicants: ['citizen'],
    resolveText: 'Sở Y tế thẩm định hồ sơ, xin ý kiến Hội đồng tư vấn cấp chứng chỉ hành nghề dược và cấp chứng chỉ.',
    legalBasis: LAW.pharma, results: [doc('Chứng chỉ hành nghề dược', true, true)],
    components: [c('Đơn đề nghị cấp Chứng chỉ hành nghề dược'), c('Văn bằng chuyên môn', 'certified_copy'), c('Giấy xác nhận thời gian thực hành chuyên môn'), c('Ảnh chân dung 4x6 cm', 'original', 2)],
    fees: [fee('Phí thẩm định cấp Chứng chỉ hành nghề dược', 500_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp Chứng chỉ hành nghề dược'),
  }),
  department(DEPT.health, {
    code: '1.004604', name: 'Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với nhà thuốc', field: 'Y_TE', onlineLevel: 'partial', processingTime: days(20),
    applicants: ['business', 'citizen'],
    resolveText: 'Sở Y tế đánh giá thực tế tại cơ sở và cấp Giấy chứng nhận đủ điều kiện kinh doanh dược.',
    legalBasis: LAW.pharma, results: [doc('Giấy chứng nhận đủ điều kiện kinh doanh dược')],
    components: [c('Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược'), c('Tài liệu kỹ thuật về địa điểm, trang thiết bị'), c('Chứng chỉ hành nghề dược của người phụ trách chuyên môn', 'copy', 1, true, true)],
    fees: [fee('Phí thẩm định điều kiện kinh doanh thuốc', 1_000_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 'business'),
  }),
  department(DEPT.health, {
    code: '2.001171', name: 'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', field: 'Y_TE', onlineLevel: 'full', processingTime: days(20),
    applicants: ['business', 'citizen'],
    resolveText: 'Sở Y tế thẩm định hồ sơ, thẩm định thực tế tại cơ sở và cấp Giấy chứng nhận.',
    legalBasis: LAW.food, results: [doc('Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', true, true)],
    components: [c('Đơn đề nghị cấp Giấy chứng nhận theo mẫu'), c('Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ'), c('Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất, kinh doanh', 'copy')],
    fees: [fee('Phí thẩm định cơ sở kinh doanh dịch vụ ăn uống', 700_000, true, 'before_processing', 'Cơ sở phục vụ dưới 200 suất ăn: 700.000 đồng/lần.')],
    onlineForm: requestForm('Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 'business'),
  }),

  // Lao động (Department of Home Affairs, successor of Labour, Invalids and Social Affairs)
  department(DEPT.homeAffairs, {
    code: '2.000205', name: 'Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam', field: 'LAO_DONG', onlineLevel: 'full',
    processingTime: days(5), applicants: ['business', 'organisation'],
    resolveText: 'Sở Nội vụ kiểm tra hồ sơ và cấp giấy phép lao động.',
    legalBasis: LAW.labour, results: [doc('Giấy phép lao động', true, true)],
    components: [c('Văn bản đề nghị cấp giấy phép lao động theo Mẫu số 11/PLI'), c('Giấy chứng nhận sức khỏe'), c('Phiếu lý lịch tư pháp'), c('Văn bản chứng minh nhà quản lý, chuyên gia hoặc lao động kỹ thuật', 'certified_copy'), c('Hộ chiếu', 'certified_copy'), c('Ảnh màu 4x6 cm', 'original', 2)],
    fees: [fee('Phí cấp giấy phép lao động', 600_000, true)],
    onlineForm: form('Văn bản đề nghị cấp giấy phép lao động', 'business', {
      workerName: { type: 'string', title: 'Họ và tên người lao động nước ngoài', minLength: 1, maxLength: 200 },
      nationality: { type: 'string', title: 'Quốc tịch', minLength: 1, maxLength: 100 },
      passportNumber: { type: 'string', title: 'Số hộ chiếu', minLength: 5, maxLength: 20 },
      position: { type: 'string', title: 'Vị trí công việc', enum: ['Nhà quản lý', 'Giám đốc điều hành', 'Chuyên gia', 'Lao động kỹ thuật'] },
      startDate: { type: 'string', format: 'date', title: 'Thời gian làm việc từ' },
      endDate: { type: 'string', format: 'date', title: 'Đến' },
    }, ['workerName', 'nationality', 'passportNumber', 'position', 'startDate', 'endDate']),
  }),
  department(DEPT.homeAffairs, {
    code: '1.000459', name: 'Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam', field: 'LAO_DONG', onlineLevel: 'full',
    processingTime: days(3), applicants: ['business', 'organisation'],
    resolveText: 'Sở Nội vụ kiểm tra và cấp lại giấy phép lao động.',
    legalBasis: LAW.labour, results: [doc('Giấy phép lao động (cấp lại)', true, true)],
    components: [c('Văn bản đề nghị cấp lại giấy phép lao động'), c('Giấy phép lao động còn thời hạn đã được cấp (trừ trường hợp bị mất)', 'original', 1, false)],
    fees: [fee('Phí cấp lại giấy phép lao động', 450_000, true)],
    onlineForm: requestForm('Văn bản đề nghị cấp lại giấy phép lao động', 'business'),
  }),
  department(DEPT.homeAffairs, {
    code: '1.000105', name: 'Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động', field: 'LAO_DONG', onlineLevel: 'full',
    processingTime: days(3), applicants: ['business', 'organisation'],
    resolveText: 'Sở Nội vụ kiểm tra và cấp văn bản xác nhận.',
    legalBasis: LAW.labour, results: [doc('Văn bản xác nhận không thuộc diện cấp giấy phép lao động', false, true)],
    components: [c('Văn bản đề nghị xác nhận'), c('Giấy chứng nhận sức khỏe'), c('Văn bản chứng minh không thuộc diện cấp giấy phép lao động', 'certified_copy')],
    fees: [], onlineForm: requestForm('Văn bản đề nghị xác nhận không thuộc diện cấp giấy phép lao động', 'business'),
  }),
  department(DEPT.homeAffairs, {
    code: '1.000414', name: 'Đăng ký nội quy lao động của doanh nghiệp', field: 'LAO_DONG', onlineLevel: 'full', processingTime: days(7), applicants: ['business'],
    resolveText: 'Sở Nội vụ xem xét nội quy lao động; thông báo nếu có nội dung trái pháp luật.',
    legalBasis: LAW.labour, results: [doc('Thông báo về việc đăng ký nội quy lao động', false, true)],
    components: [c('Văn bản đề nghị đăng ký nội quy lao động'), c('Nội quy lao động'), c('Văn bản góp ý của tổ chức đại diện người lao động tại cơ sở (nếu có)', 'original', 1, false)],
    fees: [], onlineForm: requestForm('Văn bản đề nghị đăng ký nội quy lao động', 'business'),
  }),
  department(DEPT.homeAffairs, {
    code: '2.001955', name: 'Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp', field: 'LAO_DONG', onlineLevel: 'partial', processingTime: days(7),
    applicants: ['business'],
    resolveText: 'Sở Nội vụ thẩm định hồ sơ; Chủ tịch Ủy ban nhân dân tỉnh cấp giấy phép.',
    legalBasis: 'Luật Việc làm số 74/2025/QH15;\nNghị định số 23/2021/NĐ-CP về trung tâm dịch vụ việc làm, doanh nghiệp hoạt động dịch vụ việc làm.',
    results: [doc('Giấy phép hoạt động dịch vụ việc làm')],
    components: [c('Văn bản đề nghị cấp giấy phép'), c('Giấy chứng nhận đã thực hiện ký quỹ'), c('Văn bản chứng minh địa điểm hoạt động', 'copy')],
    fees: [], onlineForm: requestForm('Văn bản đề nghị cấp giấy phép hoạt động dịch vụ việc làm', 'business'),
  }),

  // Tư pháp
  department(DEPT.justice, {
    code: '2.000488', name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam', field: 'TU_PHAP', onlineLevel: 'full',
    processingTime: days(10), applicants: ['citizen'],
    resolveText: 'Sở Tư pháp tra cứu, xác minh thông tin lý lịch tư pháp và cấp Phiếu lý lịch tư pháp.',
    legalBasis: LAW.justice, results: [doc('Phiếu lý lịch tư pháp', true, true)],
    components: [c('Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo mẫu'), idCard],
    fees: [fee('Phí cung cấp thông tin lý lịch tư pháp', 200_000, true, 'before_reception', 'Sinh viên, người có công với cách mạng, thân nhân liệt sĩ: 100.000 đồng; trẻ em, người cao tuổi, người khuyết tật, hộ nghèo: miễn phí.'), fee('Phí cấp từ Phiếu thứ 3 trở lên', 5_000, true, 'before_reception', '5.000 đồng/Phiếu.')],
    onlineForm: form('Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 'citizen', {
      kind: { type: 'string', title: 'Loại Phiếu', enum: ['Phiếu số 1', 'Phiếu số 2'] },
      purpose: { type: 'string', title: 'Mục đích sử dụng', minLength: 1, maxLength: 500 },
      copies: { type: 'integer', title: 'Số lượng Phiếu', minimum: 1, maximum: 10, default: 1 },
      residenceHistory: { type: 'string', title: 'Quá trình cư trú (từ đủ 14 tuổi)', maxLength: 4000 },
    }, ['kind', 'purpose', 'copies'], ['residenceHistory']),
  }),
  department(DEPT.justice, {
    code: '1.001071', name: 'Đăng ký hoạt động Văn phòng công chứng', field: 'TU_PHAP', onlineLevel: 'partial', processingTime: days(10), applicants: ['organisation'],
    resolveText: 'Sở Tư pháp kiểm tra hồ sơ và cấp Giấy đăng ký hoạt động Văn phòng công chứng.',
    legalBasis: 'Luật Công chứng số 46/2024/QH15;\nNghị định số 104/2025/NĐ-CP quy định chi tiết Luật Công chứng.',
    results: [doc('Giấy đăng ký hoạt động Văn phòng công chứng')],
    components: [c('Đơn đăng ký hoạt động theo mẫu'), c('Quyết định cho phép thành lập Văn phòng công chứng', 'copy'), c('Giấy tờ chứng minh trụ sở', 'copy')],
    fees: [fee('Phí thẩm định điều kiện hoạt động Văn phòng công chứng', 1_000_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đăng ký hoạt động Văn phòng công chứng', 'business'),
  }),
  department(DEPT.justice, {
    code: '2.000908', name: 'Cấp thẻ đấu giá viên', field: 'TU_PHAP', onlineLevel: 'partial', processingTime: days(7), applicants: ['citizen'],
    resolveText: 'Sở Tư pháp kiểm tra điều kiện và cấp Thẻ đấu giá viên.',
    legalBasis: 'Luật Đấu giá tài sản số 01/2016/QH14, sửa đổi bởi Luật số 37/2024/QH15.',
    results: [doc('Thẻ đấu giá viên', true, false)],
    components: [c('Đơn đề nghị cấp Thẻ đấu giá viên'), c('Chứng chỉ hành nghề đấu giá', 'copy', 1, true, true), c('Ảnh chân dung 2x3 cm', 'original', 2)],
    fees: [fee('Phí cấp thẻ đấu giá viên', 200_000, true)],
    onlineForm: requestForm('Đơn đề nghị cấp Thẻ đấu giá viên'),
  }),

  // Thông tin và Truyền thông (Department of Science and Technology since 01/03/2025)
  science({
    code: '1.003685', name: 'Cấp giấy phép hoạt động báo in', field: 'TTTT', onlineLevel: 'partial', processingTime: days(30), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định hồ sơ, trình Ủy ban nhân dân tỉnh có ý kiến và chuyển Bộ Văn hóa, Thể thao và Du lịch cấp giấy phép.',
    legalBasis: `${LAW.press}\n${LAW.merger}`, results: [doc('Giấy phép hoạt động báo in')],
    components: [c('Tờ khai đề nghị cấp giấy phép hoạt động báo in theo mẫu'), c('Văn bản chấp thuận của cơ quan chủ quản'), c('Sơ yếu lý lịch của người dự kiến làm Tổng biên tập', 'original'), c('Đề án hoạt động báo in'), c('Mẫu trình bày tên gọi và măng-sét của báo in')],
    fees: [fee('Lệ phí cấp giấy phép hoạt động báo in', 2_000_000, true, 'before_result')],
    onlineForm: requestForm('Tờ khai đề nghị cấp giấy phép hoạt động báo in', 'business'),
  }),
  science({
    code: '1.003725', name: 'Cấp giấy phép xuất bản bản tin', field: 'TTTT', onlineLevel: 'full', processingTime: days(15), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định hồ sơ và cấp giấy phép xuất bản bản tin.',
    legalBasis: `${LAW.press}\n${LAW.merger}`, results: [doc('Giấy phép xuất bản bản tin', true, true)],
    components: [c('Tờ khai đề nghị cấp giấy phép xuất bản bản tin theo mẫu'), c('Bản sao có chứng thực quyết định thành lập hoặc giấy phép hoạt động của cơ quan, tổ chức', 'certified_copy', 1, true, true), c('Mẫu trình bày tên gọi của bản tin')],
    fees: [],
    onlineForm: form('Tờ khai đề nghị cấp giấy phép xuất bản bản tin', 'business', {
      bulletinName: { type: 'string', title: 'Tên bản tin', minLength: 1, maxLength: 300 },
      purpose: { type: 'string', title: 'Tôn chỉ, mục đích', minLength: 1, maxLength: 2000 },
      periodicity: { type: 'string', title: 'Kỳ hạn xuất bản', enum: ['Hằng tuần', 'Hằng tháng', 'Hằng quý'] },
      copies: { type: 'integer', title: 'Số lượng bản mỗi kỳ', minimum: 1, maximum: 100000 },
      pages: { type: 'integer', title: 'Số trang', minimum: 1, maximum: 500 },
    }, ['bulletinName', 'purpose', 'periodicity', 'copies', 'pages'], ['purpose']),
  }),
  science({
    code: '1.003835', name: 'Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', field: 'TTTT', onlineLevel: 'full', processingTime: days(10), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định hồ sơ, kiểm tra kỹ thuật và cấp giấy phép thiết lập trang thông tin điện tử tổng hợp.',
    legalBasis: `${LAW.internet}\n${LAW.merger}`, results: [doc('Giấy phép thiết lập trang thông tin điện tử tổng hợp', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép theo mẫu'), c('Giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập', 'certified_copy', 1, true, true), c('Đề án hoạt động có chữ ký, dấu của người đứng đầu'), c('Văn bản chấp thuận của các tổ chức cung cấp nguồn tin')],
    fees: [fee('Phí thẩm định cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', 1_000_000, true, 'before_processing')],
    onlineForm: form('Đơn đề nghị cấp giấy phép thiết lập trang thông tin điện tử tổng hợp', 'business', {
      domain: { type: 'string', title: 'Tên miền', pattern: '^([a-z0-9-]+\\.)+[a-z]{2,}$', maxLength: 253 },
      serverLocation: { type: 'string', title: 'Địa chỉ đặt máy chủ tại Việt Nam', minLength: 1, maxLength: 500 },
      contentSources: { type: 'array', title: 'Nguồn tin', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 300 } },
    }, ['domain', 'serverLocation', 'contentSources']),
  }),
  science({
    code: '1.004470', name: 'Cấp giấy phép bưu chính (phạm vi nội tỉnh)', field: 'TTTT', onlineLevel: 'full', processingTime: days(15), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định điều kiện hoạt động bưu chính và cấp giấy phép bưu chính.',
    legalBasis: `${LAW.postal}\n${LAW.merger}`, results: [doc('Giấy phép bưu chính', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép bưu chính theo mẫu'), c('Giấy chứng nhận đăng ký doanh nghiệp', 'copy', 1, true, true), c('Điều lệ tổ chức và hoạt động của doanh nghiệp'), c('Phương án kinh doanh'), c('Mẫu hợp đồng cung ứng và sử dụng dịch vụ bưu chính')],
    fees: [fee('Phí thẩm định điều kiện hoạt động bưu chính', 5_500_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đề nghị cấp giấy phép bưu chính', 'business'),
  }),
  science({
    code: '1.004480', name: 'Cấp văn bản xác nhận thông báo hoạt động bưu chính', field: 'TTTT', onlineLevel: 'full', processingTime: days(7), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ kiểm tra và cấp văn bản xác nhận thông báo hoạt động bưu chính.',
    legalBasis: `${LAW.postal}\n${LAW.merger}`, results: [doc('Văn bản xác nhận thông báo hoạt động bưu chính', false, true)],
    components: [c('Văn bản thông báo hoạt động bưu chính theo mẫu'), c('Giấy chứng nhận đăng ký doanh nghiệp', 'copy', 1, true, true)],
    fees: [fee('Phí thẩm định hồ sơ', 1_000_000, true, 'before_processing')],
    onlineForm: requestForm('Văn bản thông báo hoạt động bưu chính', 'business'),
  }),
  science({
    code: '1.003888', name: 'Cấp giấy phép hoạt động in xuất bản phẩm', field: 'TTTT', onlineLevel: 'partial', processingTime: days(15), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định, kiểm tra thực tế cơ sở in và cấp giấy phép.',
    legalBasis: `${LAW.publishing}\n${LAW.merger}`, results: [doc('Giấy phép hoạt động in xuất bản phẩm')],
    components: [c('Đơn đề nghị cấp giấy phép hoạt động in theo mẫu'), c('Giấy chứng nhận đăng ký doanh nghiệp', 'copy', 1, true, true), c('Giấy tờ chứng minh quyền sở hữu thiết bị in', 'copy'), c('Sơ yếu lý lịch người đứng đầu cơ sở in')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép hoạt động in', 'business'),
  }),
  science({
    code: '1.003901', name: 'Đăng ký hoạt động cơ sở in', field: 'TTTT', onlineLevel: 'full', processingTime: days(5), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ vào sổ đăng ký và cấp giấy xác nhận đăng ký hoạt động cơ sở in.',
    legalBasis: `${LAW.publishing}\n${LAW.merger}`, results: [doc('Giấy xác nhận đăng ký hoạt động cơ sở in', false, true)],
    components: [c('Tờ khai đăng ký hoạt động cơ sở in theo mẫu'), c('Giấy chứng nhận đăng ký doanh nghiệp', 'copy', 1, true, true)],
    fees: [], onlineForm: requestForm('Tờ khai đăng ký hoạt động cơ sở in', 'business'),
  }),
  science({
    code: '1.003920', name: 'Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm', field: 'TTTT', onlineLevel: 'full', processingTime: days(10), fromInfoComm: true,
    resolveText: 'Sở Khoa học và Công nghệ thẩm định nội dung, danh mục xuất bản phẩm và cấp giấy phép.',
    legalBasis: `${LAW.publishing}\n${LAW.merger}`, results: [doc('Giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép tổ chức triển lãm, hội chợ'), c('Danh mục xuất bản phẩm')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm', 'business'),
  }),
  science({
    code: '1.003945', name: 'Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh', field: 'TTTT', onlineLevel: 'full', processingTime: days(5), fromInfoComm: true,
    applicants: ['citizen', 'business', 'organisation'],
    resolveText: 'Sở Khoa học và Công nghệ xem xét danh mục và cấp giấy phép nhập khẩu.',
    legalBasis: `${LAW.publishing}\n${LAW.merger}`, results: [doc('Giấy phép nhập khẩu xuất bản phẩm không kinh doanh', false, true)],
    components: [c('Đơn đề nghị cấp giấy phép nhập khẩu theo mẫu'), c('Danh mục xuất bản phẩm nhập khẩu')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép nhập khẩu xuất bản phẩm'),
  }),

  // Khoa học và Công nghệ
  science({
    code: '2.001223', name: 'Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ', field: 'KHCN', onlineLevel: 'full', processingTime: days(15),
    resolveText: 'Sở Khoa học và Công nghệ thẩm định hồ sơ và cấp Giấy chứng nhận đăng ký hoạt động.',
    legalBasis: LAW.science, results: [doc('Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ', true, true)],
    components: [c('Đơn đăng ký hoạt động khoa học và công nghệ theo mẫu'), c('Quyết định thành lập tổ chức', 'certified_copy'), c('Điều lệ tổ chức và hoạt động'), c('Hồ sơ nhân lực khoa học và công nghệ')],
    fees: [fee('Phí thẩm định điều kiện hoạt động khoa học và công nghệ', 1_500_000, true, 'before_processing')],
    onlineForm: requestForm('Đơn đăng ký hoạt động khoa học và công nghệ', 'business'),
  }),
  science({
    code: '2.001176', name: 'Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước', field: 'KHCN', onlineLevel: 'full',
    processingTime: days(10), applicants: ['citizen', 'business', 'organisation'],
    resolveText: 'Sở Khoa học và Công nghệ kiểm tra và cấp Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ.',
    legalBasis: LAW.science, results: [doc('Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ', false, true)],
    components: [c('Phiếu đăng ký kết quả thực hiện nhiệm vụ'), c('Báo cáo tổng hợp kết quả thực hiện nhiệm vụ (bản điện tử)')],
    fees: [], onlineForm: requestForm('Phiếu đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ'),
  }),
  science({
    code: '1.008380', name: 'Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ', field: 'KHCN', onlineLevel: 'partial', processingTime: days(7),
    applicants: ['business'],
    resolveText: 'Sở Khoa học và Công nghệ thẩm định kết quả khoa học và công nghệ và cấp Giấy chứng nhận.',
    legalBasis: `${LAW.science}\nNghị định số 13/2019/NĐ-CP về doanh nghiệp khoa học và công nghệ.`, results: [doc('Giấy chứng nhận doanh nghiệp khoa học và công nghệ')],
    components: [c('Đơn đề nghị cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ'), c('Giấy tờ xác nhận quyền sở hữu, sử dụng hợp pháp kết quả khoa học và công nghệ', 'copy'), c('Phương án sản xuất, kinh doanh sản phẩm hình thành từ kết quả khoa học và công nghệ')],
    fees: [], onlineForm: requestForm('Đơn đề nghị cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ', 'business'),
  }),
  science({
    code: '1.008388', name: 'Cấp Giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)', field: 'KHCN', onlineLevel: 'full',
    processingTime: days(15), applicants: ['business', 'organisation'],
    resolveText: 'Sở Khoa học và Công nghệ thẩm định an toàn bức xạ và cấp giấy phép.',
    legalBasis: 'Luật Năng lượng nguyên tử số 94/2025/QH15;\nNghị định số 142/2020/NĐ-CP về việc tiến hành công việc bức xạ và hoạt động dịch vụ hỗ trợ ứng dụng năng lượng nguyên tử.',
    results: [doc('Giấy phép tiến hành công việc bức xạ', true, true)],
    components: [c('Đơn đề nghị cấp giấy phép theo mẫu'), c('Phiếu khai báo thiết bị X-quang'), c('Báo cáo đánh giá an toàn'), c('Chứng chỉ nhân viên bức xạ của người phụ trách an toàn', 'copy', 1, true, true)],
    fees: [fee('Phí thẩm định an toàn bức xạ', 2_000_000, true, 'before_processing'), fee('Lệ phí cấp giấy phép', 200_000, true, 'before_result')],
    onlineForm: requestForm('Đơn đề nghị cấp giấy phép tiến hành công việc bức xạ', 'business'),
  }),
  science({
    code: '1.011623', name: 'Tiếp nhận hồ sơ công bố hợp quy sản phẩm, hàng hóa chuyên ngành', field: 'KHCN', onlineLevel: 'full', processingTime: days(5),
    applicants: ['business'],
    resolveText: 'Sở Khoa học và Công nghệ kiểm tra hồ sơ và ra thông báo tiếp nhận hồ sơ công bố hợp quy.',
    legalBasis: 'Luật Tiêu chuẩn và Quy chuẩn kỹ thuật số 68/2006/QH11, sửa đổi năm 2025;\nThông tư số 28/2012/TT-BKHCN quy định về công bố hợp chuẩn, công bố hợp quy.',
    results: [doc('Thông báo tiếp nhận hồ sơ công bố hợp quy', false, true)],
    components: [c('Bản công bố hợp quy theo mẫu'), c('Giấy chứng nhận hợp quy hoặc báo cáo tự đánh giá', 'copy')],
    fees: [fee('Lệ phí tiếp nhận hồ sơ công bố hợp quy', 150_000, true)],
    onlineForm: requestForm('Bản công bố hợp quy', 'business'),
  }),
  // A draft, not yet published: only officials who manage it see it.
  { ...science({
    code: '1.013001', name: 'Cấp giấy phép cung cấp dịch vụ trò chơi điện tử G1 trên mạng (dự thảo)', field: 'TTTT', onlineLevel: 'full', processingTime: days(15),
    resolveText: 'Sở Khoa học và Công nghệ thẩm định và cấp giấy phép.',
    legalBasis: LAW.internet, results: [doc('Giấy phép cung cấp dịch vụ trò chơi điện tử', false, true)],
    components: [c('Đơn đề nghị cấp giấy phép theo mẫu')], fees: [], onlineForm: requestForm('Đơn đề nghị cấp giấy phép', 'business'),
  }), published: false },
];

// ---------------------------------------------------------------------------------------------
// The generator (benchmarks and search tests)

/** Mulberry32: a small, fast PRNG; the same seed gives the same catalogue on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GEN_ACTIONS = ['Cấp', 'Cấp lại', 'Cấp đổi', 'Gia hạn', 'Điều chỉnh', 'Thu hồi', 'Xác nhận', 'Thẩm định', 'Công nhận', 'Phê duyệt', 'Chấp thuận', 'Bổ sung'];
const GEN_OBJECTS = [
  'giấy phép hoạt động', 'giấy chứng nhận đủ điều kiện', 'chứng chỉ hành nghề', 'văn bản chấp thuận', 'giấy xác nhận',
  'quyết định công nhận', 'giấy phép khai thác', 'giấy chứng nhận đạt chuẩn', 'thẻ hành nghề', 'giấy phép tổ chức',
];
const GEN_SUBJECTS = [
  'cơ sở sản xuất giống cây trồng', 'trang trại chăn nuôi', 'cơ sở giết mổ gia súc', 'cảng cá', 'tàu cá', 'khu du lịch', 'cơ sở lưu trú du lịch',
  'lễ hội truyền thống', 'thư viện tư nhân', 'bảo tàng ngoài công lập', 'cơ sở karaoke', 'điểm cung cấp dịch vụ trò chơi điện tử công cộng',
  'trung tâm ngoại ngữ, tin học', 'cơ sở giáo dục nghề nghiệp', 'cơ sở trợ giúp xã hội', 'quỹ xã hội, quỹ từ thiện', 'hội có phạm vi hoạt động trong tỉnh',
  'cơ sở tín ngưỡng', 'nguồn nước mặt', 'nước dưới đất', 'mỏ khoáng sản làm vật liệu xây dựng', 'bến thủy nội địa', 'trạm dừng nghỉ',
  'cửa hàng xăng dầu', 'chợ đầu mối', 'cơ sở bán lẻ rượu', 'cơ sở kinh doanh thuốc lá', 'phòng thí nghiệm chuyên ngành', 'tổ chức kiểm định',
  'cơ sở dạy nghề lái xe', 'bệnh viện tư nhân', 'cơ sở dịch vụ thẩm mỹ', 'cơ sở xoa bóp', 'nhà thuốc đông y', 'cơ sở kinh doanh dịch vụ bảo vệ',
];
const GEN_QUALIFIERS = ['', '', '', ' có vốn đầu tư nước ngoài', ' trên địa bàn tỉnh', ' do thay đổi chủ sở hữu', ' khi hết hạn', ' trường hợp bị mất, hỏng', ' thuộc thẩm quyền cấp tỉnh', ' thuộc thẩm quyền cấp xã'];
const GEN_FIELDS = ['XAY_DUNG', 'GIAO_THONG', 'GIAO_DUC', 'Y_TE', 'LAO_DONG', 'TU_PHAP', 'TTTT', 'KHCN', 'DAT_DAI', 'DOANH_NGHIEP'];
const GEN_DEPTS = [DEPT.homeAffairs, DEPT.justice, DEPT.finance, DEPT.agriEnv, DEPT.construction, DEPT.science, DEPT.education, DEPT.health];

/**
 * A deterministic catalogue of `n` plausible procedures (codes `2.9xxxxx`), for benchmarks and
 * search tests at province scale. Names combine real action, document and subject words, so
 * searches find realistic near-misses; a third are commune-level, the rest departmental.
 */
export function generateCatalog(n: number, seed = 1): DemoProcedure[] {
  if (!Number.isInteger(n) || n < 0 || n > 99_999) throw new RangeError('generateCatalog: n must be an integer from 0 to 99,999');
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: DemoProcedure[] = [];
  for (let i = 0; i < n; i++) {
    const level: OnlineLevel = pick(['full', 'partial', 'none'] as const);
    const atCommune = rnd() < 0.33;
    const dept = pick(GEN_DEPTS);
    const subject = pick(GEN_SUBJECTS);
    const name = `${pick(GEN_ACTIONS)} ${pick(GEN_OBJECTS)} ${subject}${pick(GEN_QUALIFIERS)}`;
    const paid = rnd() < 0.6;
    const agencies = atCommune ? DEMO_COMMUNES.filter(() => rnd() < 0.5).slice(0, 12) : [dept];
    const where = atCommune ? COMMUNE_DESK : CENTRE_DESK;
    out.push({
      code: `2.9${String(i).padStart(5, '0')}`,
      name,
      field: pick(GEN_FIELDS),
      receiving: atCommune ? (agencies.length ? agencies : [DEMO_COMMUNES[0]!]) : [DEPT.centre],
      resolving: atCommune ? (agencies.length ? agencies : [DEMO_COMMUNES[0]!]) : [dept],
      levels: [atCommune ? 'commune' : 'province'],
      applicants: rnd() < 0.5 ? ['business', 'organisation'] : ['citizen'],
      steps: steps(where, `Cơ quan có thẩm quyền thẩm định hồ sơ và quyết định ${name.toLowerCase()}.`),
      methods: methodsFor(level),
      onlineLevel: level,
      processingTime: rnd() < 0.1 ? hours(4 + Math.floor(rnd() * 5)) : days(1 + Math.floor(rnd() * 30)),
      legalBasis: 'Văn bản quy phạm pháp luật chuyên ngành (dữ liệu sinh tự động cho kiểm thử).',
      results: [doc(`Văn bản ${name.toLowerCase()}`, true, level !== 'none')],
      onlineForm: level === 'none' ? null : requestForm(`Đơn đề nghị ${name.toLowerCase()}`, 'business'),
      components: [c(`Đơn đề nghị ${name.toLowerCase()} theo mẫu`), c('Giấy tờ chứng minh đủ điều kiện', 'copy', 1, rnd() < 0.7, rnd() < 0.5)],
      fees: paid ? [fee('Phí thẩm định hồ sơ', 1000 * (10 + Math.floor(rnd() * 2000)), level !== 'none', 'before_processing')] : [],
      published: rnd() < 0.97,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading

const SYSTEM = { actorId: null, actorName: 'Hệ thống (demo)', ip: null, requestId: null };

function snapshotOf(p: DemoProcedure): ProcedureSnapshot {
  return canonicalSnapshot({
    code: p.code, name: p.name, fieldCode: p.field, receivingAgencies: p.receiving, resolvingAgencies: p.resolving, levels: p.levels,
    applicants: p.applicants, steps: p.steps, methods: p.methods, onlineLevel: p.onlineLevel, processingTime: p.processingTime,
    legalBasis: p.legalBasis, resultDocuments: p.results, onlineForm: p.onlineForm,
    components: p.components.map((x) => ({ ...x, template: null })), fees: p.fees, published: p.published,
  });
}

/** History of a seeded procedure: created, and for the former Information and Communications ones, moved at the merger. */
function seedHistory(id: string, p: DemoProcedure): HistoryRow[] {
  const snapshot = snapshotOf(p);
  const created = creationDiff(snapshot);
  if (!p.former) return [{ procedureId: id, actorId: null, actorName: SYSTEM.actorName, action: 'created', diff: created }];
  const old = [p.former.agency];
  return [
    {
      procedureId: id, actorId: null, actorName: 'Sở Thông tin và Truyền thông (demo)', action: 'created', at: new Date(p.former.createdAt),
      diff: { ...created, receivingAgencies: { to: old }, resolvingAgencies: { to: old }, legalBasis: { to: snapshot.legalBasis.replace(`\n${LAW.merger}`, '') } },
    },
    {
      procedureId: id, actorId: null, actorName: SYSTEM.actorName, action: 'updated', at: new Date(p.former.movedAt),
      diff: {
        receivingAgencies: { from: old, to: snapshot.receivingAgencies },
        resolvingAgencies: { from: old, to: snapshot.resolvingAgencies },
        legalBasis: { from: snapshot.legalBasis.replace(`\n${LAW.merger}`, ''), to: snapshot.legalBasis },
      },
    },
  ];
}


/**
 * Writes the procedures the database does not hold yet (by code), each with its history, in
 * one transaction; the demo fields are created when missing. Returns how many were written.
 * Benchmarks and search tests load `generateCatalog(2000)` through it.
 */
export async function loadDemoProcedures(db: Db, procedures: readonly DemoProcedure[]): Promise<number> {
  const existing = new Set((await db.selectFrom('procedures').select('code').execute()).map((r) => r.code));
  const todo = procedures.filter((p) => !existing.has(p.code));
  if (todo.length === 0) return 0;
  const agencies = new Map((await db.selectFrom('agencies').select(['id', 'code']).execute()).map((a) => [a.code, a.id]));
  const agencyIds = (codes: string[]) => codes.map((code) => {
    const id = agencies.get(code);
    if (!id) throw new Error(`demo procedures: unknown agency ${code}`);
    return id;
  });
  await db.transaction().execute(async (tx) => {
    const fields = new Map<string, string>();
    for (const f of DEMO_FIELDS) fields.set(f.code, await ensureField(tx, f));
    const ids = await insertProcedures(tx, todo.map((p) => ({
      code: p.code, name: p.name, fieldId: fields.get(p.field)!, receivingAgencyIds: agencyIds(p.receiving), resolvingAgencyIds: agencyIds(p.resolving),
      levels: p.levels, applicants: p.applicants, steps: p.steps, methods: p.methods, onlineLevel: p.onlineLevel, processingTime: p.processingTime,
      legalBasis: p.legalBasis, resultDocuments: p.results, onlineForm: p.onlineForm, components: p.components, fees: p.fees, published: p.published,
    })));
    await insertProcedureHistory(tx, todo.flatMap((p) => seedHistory(ids.get(p.code)!, p)));
    await writeAudit(tx, SYSTEM, { action: 'seed.demo_procedures', details: { procedures: todo.length } });
  });
  return todo.length;
}

/**
 * Seeds the demo catalogue into a database that has no procedure yet; once there is a
 * catalogue (seeded, imported or typed in), it is left as officials made it.
 */
export async function seedDemoProcedures(db: Db): Promise<boolean> {
  if (await db.selectFrom('procedures').select('id').limit(1).executeTakeFirst()) return false;
  return (await loadDemoProcedures(db, DEMO_PROCEDURES)) > 0;
}
