/** Realistic inputs for the forms (test factories). Instants are UTC; the forms print UTC+7. */
import type {
  AgencyHeader,
  ApologyData,
  Applicant,
  ProcessControlSlipData,
  ReceiptSlipData,
  RefusalData,
  RegisterData,
  RegisterRow,
  StopNoticeData,
  SupplementRequestData,
} from '../../../src/modules/documents/index.ts';

export const agency: AgencyHeader = {
  name: 'Ủy ban nhân dân phường Bắc Nha Trang',
  parentName: 'Ủy ban nhân dân tỉnh Khánh Hòa',
};

export const applicant: Applicant = {
  name: 'Nguyễn Thị Ngọc Ánh',
  idNumber: '056*******89',
  phone: '0905 123 456',
  email: 'ngocanh.nguyen@example.vn',
  address: 'Số 12 đường Trần Phú, tổ dân phố Xương Huân, phường Bắc Nha Trang, tỉnh Khánh Hòa',
};

export const DOSSIER_CODE = '000.00.01.H56-250305-0001';
export const PROCEDURE = 'Đăng ký thành lập hộ kinh doanh';
export const STATUS_URL = 'https://dichvucong.khanhhoa.example.vn/tra-cuu/ho-so/000.00.01.H56-250305-0001?k=Zq7xP2';

/** 08:35 on 5 March 2025 in Khánh Hòa. */
export const RECEIVED_AT = new Date('2025-03-05T01:35:00Z');
/** 16:00 on 12 March 2025 in Khánh Hòa. */
export const APPOINTMENT_AT = new Date('2025-03-12T09:00:00Z');

export function buildReceiptSlip(over: Partial<ReceiptSlipData> = {}): ReceiptSlipData {
  return {
    agency,
    issuedAt: RECEIVED_AT,
    number: '125/GTN-BPMC',
    dossierCode: DOSSIER_CODE,
    receivingUnit: 'Bộ phận Một cửa phường Bắc Nha Trang',
    applicant,
    procedureName: PROCEDURE,
    components: [
      { name: 'Giấy đề nghị đăng ký hộ kinh doanh (Mẫu Phụ lục III-1, Thông tư số 02/2023/TT-BKHĐT)', form: 'original', quantity: 1 },
      { name: 'Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh', form: 'certified-copy', quantity: 1 },
      { name: 'Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh', form: 'copy', quantity: 2 },
      { name: 'Văn bản ủy quyền cho thành viên làm chủ hộ kinh doanh', form: 'original', quantity: 1 },
    ],
    sets: 1,
    statutoryTime: '03 ngày làm việc',
    receivedAt: RECEIVED_AT,
    appointmentAt: APPOINTMENT_AT,
    resultDelivery: { method: 'counter', detail: 'Quầy số 3, Bộ phận Một cửa phường Bắc Nha Trang' },
    fee: { amount: 1_250_000, paid: true, receiptNumber: 'BL-0001234' },
    officer: { name: 'Trần Văn Đức' },
    statusUrl: STATUS_URL,
    hotline: '0258 3 822 222',
    registerEntry: { book: '03', sequence: 215 },
    ...over,
  };
}

export function buildSupplementRequest(over: Partial<SupplementRequestData> = {}): SupplementRequestData {
  return {
    agency,
    issuedAt: new Date('2025-03-06T03:10:00Z'),
    number: '18/PYC-BPMC',
    dossierCode: DOSSIER_CODE,
    applicant,
    procedureName: PROCEDURE,
    receivedAt: RECEIVED_AT,
    items: [
      {
        what: 'Biên bản họp thành viên hộ gia đình có đủ chữ ký của các thành viên',
        reason: 'Biên bản đã nộp thiếu chữ ký của bà Lê Thị Hoài Thương (thành viên hộ gia đình).',
      },
      {
        what: 'Ghi rõ ngành, nghề kinh doanh theo Hệ thống ngành kinh tế Việt Nam',
        reason: 'Ngành nghề "buôn bán lặt vặt" chưa xác định được mã ngành cấp bốn.',
      },
    ],
    dueAt: new Date('2025-03-20T10:00:00Z'),
    contact: { name: 'Phạm Thị Huyền Trâm', phone: '0258 3 812 345', unit: 'Bộ phận Một cửa phường Bắc Nha Trang' },
    copiesTo: ['Như trên;', 'Lưu: BPMC.'],
    ...over,
  };
}

export function buildRefusal(over: Partial<RefusalData> = {}): RefusalData {
  return {
    agency,
    issuedAt: new Date('2025-03-07T02:00:00Z'),
    number: '07/PTC-UBND',
    dossierCode: DOSSIER_CODE,
    applicant,
    procedureName: PROCEDURE,
    receivedAt: RECEIVED_AT,
    reasons: [
      'Địa điểm kinh doanh thuộc khu vực cấm kinh doanh theo quy hoạch của tỉnh Khánh Hòa.',
      'Tên hộ kinh doanh "Quán Ăn Ngon Bắc Nha Trang" trùng với tên hộ kinh doanh đã đăng ký trong phạm vi phường.',
    ],
    signer: { title: 'KT. Chủ tịch\nPhó Chủ tịch', name: 'Lê Quốc Hưng' },
    copiesTo: ['Như trên;', 'Lưu: VT, BPMC.'],
    ...over,
  };
}

export function buildApology(over: Partial<ApologyData> = {}): ApologyData {
  return {
    agency,
    issuedAt: new Date('2025-03-11T08:00:00Z'),
    number: '03/PXL-UBND',
    dossierCode: DOSSIER_CODE,
    applicant,
    procedureName: PROCEDURE,
    receivedAt: RECEIVED_AT,
    originalAppointmentAt: APPOINTMENT_AT,
    reason: 'Hệ thống đăng ký hộ kinh doanh quốc gia gián đoạn do nâng cấp, chưa thể cấp mã số hộ kinh doanh.',
    newAppointmentAt: new Date('2025-03-14T09:00:00Z'),
    signer: { title: 'Chủ tịch', name: 'Võ Thị Ngọc Bích' },
    copiesTo: ['Như trên;', 'Lưu: VT.'],
    ...over,
  };
}

export function buildStopNotice(over: Partial<StopNoticeData> = {}): StopNoticeData {
  return {
    agency,
    issuedAt: new Date('2025-03-10T02:30:00Z'),
    number: '02/PDXL-UBND',
    dossierCode: DOSSIER_CODE,
    applicant,
    procedureName: PROCEDURE,
    receivedAt: RECEIVED_AT,
    reasons: ['Người nộp hồ sơ có văn bản đề nghị rút hồ sơ ngày 09/03/2025.'],
    legalBasis: 'Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ',
    note: 'Hồ sơ giấy được trả lại tại Bộ phận Một cửa; phí, lệ phí đã nộp được hoàn trả theo quy định.',
    signer: { title: 'Chủ tịch', name: 'Võ Thị Ngọc Bích' },
    copiesTo: ['Như trên;', 'Lưu: VT.'],
    ...over,
  };
}

export function buildProcessControlSlip(over: Partial<ProcessControlSlipData> = {}): ProcessControlSlipData {
  return {
    agency,
    issuedAt: RECEIVED_AT,
    dossierCode: DOSSIER_CODE,
    procedureName: PROCEDURE,
    applicant,
    receivedAt: RECEIVED_AT,
    appointmentAt: APPOINTMENT_AT,
    leadAgency: 'Phòng Kinh tế, Hạ tầng và Đô thị phường Bắc Nha Trang',
    coordinatingAgencies: ['Chi cục Thuế khu vực Nha Trang'],
    steps: [
      {
        step: 'Tiếp nhận, chuyển hồ sơ',
        from: 'Trần Văn Đức (Bộ phận Một cửa)',
        to: 'Nguyễn Hữu Lộc (Phòng Kinh tế)',
        handedOverAt: new Date('2025-03-05T02:00:00Z'),
        dueAt: new Date('2025-03-05T10:00:00Z'),
        result: 'early',
      },
      {
        step: 'Thẩm định hồ sơ',
        from: 'Nguyễn Hữu Lộc (Phòng Kinh tế)',
        to: 'Đặng Thị Mỹ Duyên (Lãnh đạo phòng)',
        handedOverAt: new Date('2025-03-07T09:30:00Z'),
        dueAt: new Date('2025-03-07T10:00:00Z'),
        result: 'on-time',
      },
      {
        step: 'Phê duyệt, ký kết quả',
        from: 'Đặng Thị Mỹ Duyên (Lãnh đạo phòng)',
        to: 'Lê Quốc Hưng (Phó Chủ tịch UBND phường)',
        handedOverAt: new Date('2025-03-12T01:00:00Z'),
        dueAt: new Date('2025-03-11T10:00:00Z'),
        result: 'late',
        comment: 'Chờ xác minh địa điểm kinh doanh',
      },
      {
        step: 'Trả kết quả',
        from: 'Lê Quốc Hưng (Phó Chủ tịch UBND phường)',
        to: 'Trần Văn Đức (Bộ phận Một cửa)',
        handedOverAt: new Date('2025-03-12T08:00:00Z'),
        dueAt: APPOINTMENT_AT,
      },
    ],
    ...over,
  };
}

const PROCEDURES = [
  'Đăng ký thành lập hộ kinh doanh',
  'Đăng ký khai sinh',
  'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp',
  'Đăng ký kết hôn',
];
const NAMES = ['Nguyễn Thị Ngọc Ánh', 'Trần Văn Đức', 'Lê Hoàng Yến', 'Phạm Quốc Việt', 'Huỳnh Thị Ửng', 'Đỗ Minh Khôi'];
const STATUSES: RegisterRow['status'][] = ['on-time', 'early', 'late', 'processing', 'waiting-supplement', 'refused'];

export function registerCode(i: number): string {
  return `000.00.01.H56-2503${String(1 + Math.floor(i / 8)).padStart(2, '0')}-${String((i % 8) + 1).padStart(4, '0')}`;
}

export function buildRegister(rowCount: number): RegisterData {
  const rows: RegisterRow[] = [];
  for (let i = 0; i < rowCount; i++) {
    const receivedAt = new Date(Date.UTC(2025, 2, 1 + Math.floor(i / 8), 1 + (i % 8), 5));
    const status = STATUSES[i % STATUSES.length]!;
    rows.push({
      dossierCode: registerCode(i),
      procedureName: PROCEDURES[i % PROCEDURES.length]!,
      applicantName: NAMES[i % NAMES.length]!,
      address: `Tổ ${(i % 12) + 1}, phường Bắc Nha Trang`,
      phone: `0905 ${String(100000 + i * 37).slice(0, 3)} ${String(100 + i).slice(-3)}`,
      receivedAt,
      appointmentAt: new Date(receivedAt.getTime() + 5 * 86_400_000),
      returnedAt: ['on-time', 'early', 'late'].includes(status) ? new Date(receivedAt.getTime() + 4 * 86_400_000) : undefined,
      status,
    });
  }
  return {
    agency,
    period: { from: new Date('2025-02-28T17:00:00Z'), to: new Date('2025-03-31T16:59:59Z') },
    book: '03',
    rows,
  };
}
