/**
 * Inputs of the one-stop forms (Circular 01/2018/TT-VPCP, forms 01–07 as renumbered in 2025).
 *
 * Conventions: text is taken as given (normalised to NFC when drawn; empty optional values are
 * simply not printed); instants are `Date`s (UTC), printed in the province's time zone
 * (UTC+7); money is a number of đồng. Personal data must arrive already masked: the renderers
 * print what they are given.
 */

/** The issuing agency (cơ quan), printed top left in capitals. */
export interface AgencyHeader {
  /** Agency name (tên cơ quan, tổ chức), e.g. "Ủy ban nhân dân phường Bắc Nha Trang". */
  name: string;
  /** Governing agency (cơ quan chủ quản), printed above the name, e.g. "Ủy ban nhân dân tỉnh Khánh Hòa". */
  parentName?: string;
}

/** Fields every form shares. */
export interface FormBase {
  agency: AgencyHeader;
  /** When the form is issued; its date fills the date line. */
  issuedAt: Date;
  /** Place name of the date line (địa danh); default "Khánh Hòa". */
  place?: string;
  /** Number and symbol (số, ký hiệu), e.g. "125/GTN-BPMC"; printed as "Số: …" under the agency. */
  number?: string;
}

/** The person or organisation the dossier belongs to (chủ hồ sơ). */
export interface Applicant {
  /** Full name of the person or organisation, e.g. "Nguyễn Thị Ngọc Ánh". */
  name: string;
  /** Personal identification number or tax number, already masked by the caller ("0792****1234"). */
  idNumber?: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** Someone who signs a form: the printed title above the signature and the name below it. */
export interface Signer {
  /** Printed in capitals above the signature, e.g. "Người tiếp nhận hồ sơ", "KT. Chủ tịch\nPhó Chủ tịch". */
  title: string;
  /** Full name printed under the signature space; omitted → left blank for a handwritten name. */
  name?: string;
}

/** Recipients listed under "Nơi nhận:" at the bottom left, e.g. ["Như trên;", "Lưu: VT."]. */
export type CopiesTo = string[];

/** The form of a submitted paper (hình thức). */
export type ComponentForm = 'original' | 'certified-copy' | 'copy' | 'electronic';

/** A paper in the dossier (thành phần hồ sơ). */
export interface DossierComponent {
  /** Name of the paper, e.g. "Giấy đề nghị đăng ký hộ kinh doanh". */
  name: string;
  form: ComponentForm;
  /** Number of copies of this paper. */
  quantity: number;
}

/** How the applicant receives the result. */
export type ResultDeliveryMethod = 'counter' | 'post' | 'online';

/** Where the result is collected (nơi nhận kết quả). */
export interface ResultDelivery {
  method: ResultDeliveryMethod;
  /** Counter or address: "Quầy số 3, Trung tâm Phục vụ hành chính công tỉnh", a postal address… */
  detail?: string;
}

/** Fee and charge status (phí, lệ phí). */
export interface FeeStatus {
  /** Total in đồng; 0 prints "Không thu phí, lệ phí". */
  amount: number;
  paid: boolean;
  /** Receipt number (số biên lai) when paid. */
  receiptNumber?: string;
}

/** Form 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment slip). */
export interface ReceiptSlipData extends FormBase {
  /** Dossier code (mã hồ sơ), e.g. "000.00.01.H56-250305-0001". */
  dossierCode: string;
  /** The receiving unit (bộ phận tiếp nhận và trả kết quả); default the agency's name. */
  receivingUnit?: string;
  applicant: Applicant;
  /** Procedure name (tên thủ tục hành chính), e.g. "Đăng ký thành lập hộ kinh doanh". */
  procedureName: string;
  components: DossierComponent[];
  /** Number of sets of the dossier (số bộ hồ sơ). */
  sets: number;
  /** Statutory processing time (thời hạn giải quyết), e.g. "05 ngày làm việc". */
  statutoryTime: string;
  /** Time of receipt (thời gian nhận hồ sơ). */
  receivedAt: Date;
  /** Appointment (ngày hẹn trả): when the result is promised. */
  appointmentAt: Date;
  resultDelivery: ResultDelivery;
  fee: FeeStatus;
  /** The receiving officer (người tiếp nhận hồ sơ). */
  officer: { name: string };
  /** Public status page of the dossier, encoded in the QR code and printed under it. */
  statusUrl: string;
  /** Hotline (đường dây nóng) printed beside the QR code, e.g. "0258 3 822 222". */
  hotline: string;
  /** Entry in the dossier register (form 07): book and sequence number. */
  registerEntry?: { book: string; sequence: number };
}

/** One thing the applicant must add or correct. */
export interface SupplementItem {
  /** What is missing or must be corrected. */
  what: string;
  /** Why (legal basis or defect found). */
  reason: string;
}

/** Form 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (request to supplement the dossier). */
export interface SupplementRequestData extends FormBase {
  dossierCode: string;
  applicant: Applicant;
  procedureName: string;
  receivedAt?: Date;
  items: SupplementItem[];
  /** Deadline for the supplement (hạn bổ sung), if the procedure sets one. */
  dueAt?: Date;
  /** The officer to contact for guidance. */
  contact: { name: string; phone?: string; unit?: string };
  /** Who signs the request; default the contact as "Người hướng dẫn". */
  signer?: Signer;
  copiesTo?: CopiesTo;
}

/** Form 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ (refusal to receive or resolve). */
export interface RefusalData extends FormBase {
  /** Absent when the dossier was refused at the counter before it got a code. */
  dossierCode?: string;
  receivingUnit?: string;
  applicant: Applicant;
  procedureName: string;
  receivedAt?: Date;
  /** Reasons, each printed as a numbered item. At least one. */
  reasons: string[];
  signer: Signer;
  copiesTo?: CopiesTo;
}

/** Form 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả (apology and new appointment). */
export interface ApologyData extends FormBase {
  dossierCode: string;
  applicant: Applicant;
  procedureName: string;
  receivedAt: Date;
  /** The appointment that was missed. */
  originalAppointmentAt: Date;
  /** Why the result is late. */
  reason: string;
  /** The new appointment. */
  newAppointmentAt: Date;
  signer: Signer;
  copiesTo?: CopiesTo;
}

/** Form 05 Phiếu dừng xử lý hồ sơ (notice to stop processing). */
export interface StopNoticeData extends FormBase {
  dossierCode: string;
  applicant: Applicant;
  procedureName: string;
  receivedAt: Date;
  /** Reasons, each printed as a numbered item. At least one. */
  reasons: string[];
  /** Legal basis for stopping, e.g. "Điều 19 Nghị định số 118/2025/NĐ-CP". */
  legalBasis?: string;
  /** What happens next: returning the papers, refunding the fee… */
  note?: string;
  signer: Signer;
  copiesTo?: CopiesTo;
}

/** Outcome of a processing step against its deadline. */
export type StepResult = 'early' | 'on-time' | 'late';

/** One hand-over between steps or agencies (lần giao, nhận hồ sơ). */
export interface HandoverStep {
  /** Step name, e.g. "Thẩm định hồ sơ". */
  step: string;
  /** Who handed over: officer and/or agency, e.g. "Trần Văn Bình (Bộ phận một cửa)". */
  from: string;
  /** Who received. */
  to: string;
  handedOverAt: Date;
  /** Deadline of the step. */
  dueAt?: Date;
  /** Absent while the step is still running. */
  result?: StepResult;
  comment?: string;
}

/** Form 06 Phiếu kiểm soát quá trình giải quyết hồ sơ (process-control slip). */
export interface ProcessControlSlipData extends FormBase {
  dossierCode: string;
  procedureName: string;
  applicant: Applicant;
  receivedAt: Date;
  appointmentAt: Date;
  /** Agency that resolves the dossier (cơ quan chủ trì giải quyết). */
  leadAgency?: string;
  /** Agencies that take part (cơ quan phối hợp). */
  coordinatingAgencies?: string[];
  steps: HandoverStep[];
}

/** Where a dossier stands, as the register records it. */
export type RegisterStatus =
  | 'processing'
  | 'waiting-supplement'
  | 'early'
  | 'on-time'
  | 'late'
  | 'refused'
  | 'stopped'
  | 'withdrawn';

/** One row of the register. */
export interface RegisterRow {
  dossierCode: string;
  procedureName: string;
  applicantName: string;
  address?: string;
  phone?: string;
  receivedAt: Date;
  appointmentAt: Date;
  /** When the result (or the papers) went back to the applicant. */
  returnedAt?: Date;
  status: RegisterStatus;
}

/** Form 07 Sổ theo dõi hồ sơ (dossier register), landscape A4. */
export interface RegisterData {
  agency: AgencyHeader;
  /** The period covered, both ends inclusive (their dates in UTC+7 are printed). */
  period: { from: Date; to: Date };
  /** Book number (quyển số). */
  book?: string;
  rows: RegisterRow[];
  /** When the register was printed; default: the end of the period. Sets the PDF's dates. */
  printedAt?: Date;
}
