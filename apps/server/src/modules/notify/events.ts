/**
 * What the centre tells people, and in which words by default. Each event lists the variables
 * its templates may use; administrators may reword any template (notify_templates) but only with
 * these variables. Citizens hear of their dossiers by SMS, email and in-app message (as they
 * choose); officials get in-app messages for their queues.
 */

export type Channel = 'sms' | 'email' | 'in_app';
export type Locale = 'vi' | 'en';
export const CHANNELS: readonly Channel[] = ['sms', 'email', 'in_app'];
export const LOCALES: readonly Locale[] = ['vi', 'en'];

type L = { vi: string; en: string };

export interface EventDef {
  /** Who it is for: the applicant (every channel they chose) or officials (in-app only). */
  audience: 'citizen' | 'official';
  description: L;
  variables: readonly string[];
  sms?: L;
  email?: { subject: L; body: L };
  inApp: { subject: L; body: L };
}

const SIGN = { vi: '\n\nTrung tâm Phục vụ hành chính công', en: '\n\nPublic Administration Service Centre' };
const mail = (subject: L, body: L) => ({ subject, body: { vi: body.vi + SIGN.vi, en: body.en + SIGN.en } });

export const EVENTS = {
  'dossier.submitted': {
    audience: 'citizen',
    description: { vi: 'Hồ sơ trực tuyến đã được nộp', en: 'An online dossier was submitted' },
    variables: ['procedure', 'agency', 'applicant'],
    sms: { vi: 'Hồ sơ {{procedure}} đã được gửi tới {{agency}} và đang chờ tiếp nhận.', en: 'Your dossier for {{procedure}} was sent to {{agency}} and awaits reception.' },
    email: mail(
      { vi: 'Hồ sơ đã được gửi: {{procedure}}', en: 'Dossier sent: {{procedure}}' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{procedure}} của ông/bà đã được gửi tới {{agency}} và đang chờ tiếp nhận. Chúng tôi sẽ báo khi hồ sơ được tiếp nhận.', en: 'Dear {{applicant}},\n\nYour dossier for {{procedure}} was sent to {{agency}} and awaits reception. We will tell you when it is received.' },
    ),
    inApp: { subject: { vi: 'Hồ sơ đã được gửi', en: 'Dossier sent' }, body: { vi: 'Hồ sơ {{procedure}} đang chờ {{agency}} tiếp nhận.', en: 'Your dossier for {{procedure}} awaits reception by {{agency}}.' } },
  },
  'dossier.received': {
    audience: 'citizen',
    description: { vi: 'Hồ sơ đã được tiếp nhận (mã hồ sơ, ngày hẹn trả)', en: 'The dossier was received (code and appointment)' },
    variables: ['code', 'procedure', 'agency', 'appointment', 'applicant', 'lookupUrl'],
    sms: { vi: 'Hồ sơ {{code}} ({{procedure}}) đã được tiếp nhận. Hẹn trả kết quả: {{appointment}}. Tra cứu: {{lookupUrl}}', en: 'Dossier {{code}} ({{procedure}}) was received. Result due: {{appointment}}. Track: {{lookupUrl}}' },
    email: mail(
      { vi: 'Đã tiếp nhận hồ sơ {{code}}', en: 'Dossier {{code}} received' },
      { vi: 'Kính gửi {{applicant}},\n\n{{agency}} đã tiếp nhận hồ sơ {{procedure}}.\nMã hồ sơ: {{code}}\nNgày hẹn trả kết quả: {{appointment}}\n\nTra cứu tình trạng hồ sơ: {{lookupUrl}}', en: 'Dear {{applicant}},\n\n{{agency}} has received your dossier for {{procedure}}.\nDossier code: {{code}}\nResult due: {{appointment}}\n\nTrack it at {{lookupUrl}}' },
    ),
    inApp: { subject: { vi: 'Đã tiếp nhận hồ sơ {{code}}', en: 'Dossier {{code}} received' }, body: { vi: 'Hẹn trả kết quả: {{appointment}}.', en: 'Result due: {{appointment}}.' } },
  },
  'dossier.supplement_requested': {
    audience: 'citizen',
    description: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Papers requested' },
    variables: ['code', 'procedure', 'agency', 'reasons', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}} cần bổ sung: {{reasons}}. Vui lòng bổ sung trên Cổng dịch vụ công hoặc tại {{agency}}.', en: 'Dossier {{code}} needs: {{reasons}}. Please supply it online or at {{agency}}.' },
    email: mail(
      { vi: 'Yêu cầu bổ sung hồ sơ {{code}}', en: 'Dossier {{code}}: papers requested' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{procedure}} (mã {{code}}) cần bổ sung:\n{{reasons}}\n\nThời gian giải quyết tạm dừng cho tới khi ông/bà bổ sung.', en: 'Dear {{applicant}},\n\nYour dossier for {{procedure}} ({{code}}) needs:\n{{reasons}}\n\nThe processing clock stops until you supply them.' },
    ),
    inApp: { subject: { vi: 'Cần bổ sung hồ sơ {{code}}', en: 'Dossier {{code}} needs papers' }, body: { vi: '{{reasons}}', en: '{{reasons}}' } },
  },
  'dossier.refused': {
    audience: 'citizen',
    description: { vi: 'Từ chối hồ sơ (có lý do)', en: 'The dossier was refused (with reasons)' },
    variables: ['code', 'procedure', 'agency', 'reasons', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}} ({{procedure}}) không được giải quyết. Lý do: {{reasons}}', en: 'Dossier {{code}} ({{procedure}}) was refused. Reasons: {{reasons}}' },
    email: mail(
      { vi: 'Thông báo từ chối hồ sơ {{code}}', en: 'Dossier {{code}} refused' },
      { vi: 'Kính gửi {{applicant}},\n\n{{agency}} không giải quyết hồ sơ {{procedure}} (mã {{code}}).\nLý do: {{reasons}}', en: 'Dear {{applicant}},\n\n{{agency}} refused your dossier for {{procedure}} ({{code}}).\nReasons: {{reasons}}' },
    ),
    inApp: { subject: { vi: 'Hồ sơ {{code}} bị từ chối', en: 'Dossier {{code}} refused' }, body: { vi: 'Lý do: {{reasons}}', en: 'Reasons: {{reasons}}' } },
  },
  'dossier.stopped': {
    audience: 'citizen',
    description: { vi: 'Dừng giải quyết hồ sơ', en: 'Processing stopped' },
    variables: ['code', 'procedure', 'reasons', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}} ({{procedure}}) đã dừng giải quyết. Lý do: {{reasons}}', en: 'Processing of dossier {{code}} ({{procedure}}) stopped. Reasons: {{reasons}}' },
    email: mail(
      { vi: 'Dừng giải quyết hồ sơ {{code}}', en: 'Dossier {{code}}: processing stopped' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{procedure}} (mã {{code}}) đã dừng giải quyết.\nLý do: {{reasons}}', en: 'Dear {{applicant}},\n\nProcessing of your dossier for {{procedure}} ({{code}}) has stopped.\nReasons: {{reasons}}' },
    ),
    inApp: { subject: { vi: 'Dừng giải quyết hồ sơ {{code}}', en: 'Dossier {{code}} stopped' }, body: { vi: 'Lý do: {{reasons}}', en: 'Reasons: {{reasons}}' } },
  },
  'dossier.extended': {
    audience: 'citizen',
    description: { vi: 'Xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology and a new appointment' },
    variables: ['code', 'procedure', 'agency', 'appointment', 'reason', 'applicant'],
    sms: { vi: '{{agency}} xin lỗi: hồ sơ {{code}} chậm trả kết quả ({{reason}}). Ngày hẹn mới: {{appointment}}.', en: '{{agency}} apologises: dossier {{code}} is late ({{reason}}). New date: {{appointment}}.' },
    email: mail(
      { vi: 'Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{code}}', en: 'Apology: new date for dossier {{code}}' },
      { vi: 'Kính gửi {{applicant}},\n\n{{agency}} chân thành xin lỗi vì hồ sơ {{procedure}} (mã {{code}}) chưa giải quyết được đúng hẹn.\nLý do: {{reason}}\nNgày hẹn trả kết quả mới: {{appointment}}', en: 'Dear {{applicant}},\n\n{{agency}} sincerely apologises that your dossier for {{procedure}} ({{code}}) could not be resolved on time.\nReason: {{reason}}\nNew result date: {{appointment}}' },
    ),
    inApp: { subject: { vi: 'Hẹn lại ngày trả kết quả hồ sơ {{code}}', en: 'New date for dossier {{code}}' }, body: { vi: 'Ngày hẹn mới: {{appointment}}. Lý do: {{reason}}', en: 'New date: {{appointment}}. Reason: {{reason}}' } },
  },
  'dossier.result_ready': {
    audience: 'citizen',
    description: { vi: 'Có kết quả (cách nhận)', en: 'The result is ready (how to collect)' },
    variables: ['code', 'procedure', 'agency', 'collect', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}} đã có kết quả. {{collect}}', en: 'Dossier {{code}}: the result is ready. {{collect}}' },
    email: mail(
      { vi: 'Hồ sơ {{code}} đã có kết quả', en: 'Dossier {{code}}: result ready' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{procedure}} (mã {{code}}) đã có kết quả.\n{{collect}}', en: 'Dear {{applicant}},\n\nThe result of your dossier for {{procedure}} ({{code}}) is ready.\n{{collect}}' },
    ),
    inApp: { subject: { vi: 'Hồ sơ {{code}} đã có kết quả', en: 'Dossier {{code}}: result ready' }, body: { vi: '{{collect}}', en: '{{collect}}' } },
  },
  'dossier.result_returned': {
    audience: 'citizen',
    description: { vi: 'Đã trả kết quả', en: 'The result was handed over' },
    variables: ['code', 'procedure', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}} đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng trên Cổng dịch vụ công.', en: 'Dossier {{code}}: the result was handed over. Please rate the service online.' },
    email: mail(
      { vi: 'Đã trả kết quả hồ sơ {{code}}', en: 'Dossier {{code}}: result handed over' },
      { vi: 'Kính gửi {{applicant}},\n\nKết quả hồ sơ {{procedure}} (mã {{code}}) đã được trả. Mời ông/bà đánh giá mức độ hài lòng trên Cổng dịch vụ công.', en: 'Dear {{applicant}},\n\nThe result of your dossier for {{procedure}} ({{code}}) was handed over. Please rate the service online.' },
    ),
    inApp: { subject: { vi: 'Đã trả kết quả hồ sơ {{code}}', en: 'Dossier {{code}}: result handed over' }, body: { vi: 'Mời ông/bà đánh giá mức độ hài lòng.', en: 'Please rate the service.' } },
  },
  'payment.due': {
    audience: 'citizen',
    description: { vi: 'Cần nộp phí, lệ phí', en: 'A fee is due' },
    variables: ['code', 'procedure', 'amount', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}}: vui lòng nộp phí, lệ phí {{amount}} trên Cổng dịch vụ công hoặc tại quầy.', en: 'Dossier {{code}}: please pay the fee of {{amount}} online or at the counter.' },
    email: mail(
      { vi: 'Thông báo nộp phí hồ sơ {{code}}', en: 'Dossier {{code}}: fee due' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{procedure}} (mã {{code}}) cần nộp phí, lệ phí {{amount}}. Ông/bà có thể thanh toán trực tuyến hoặc tại quầy.', en: 'Dear {{applicant}},\n\nYour dossier for {{procedure}} ({{code}}) has a fee of {{amount}} to pay, online or at the counter.' },
    ),
    inApp: { subject: { vi: 'Cần nộp phí hồ sơ {{code}}', en: 'Fee due for dossier {{code}}' }, body: { vi: 'Số tiền: {{amount}}', en: 'Amount: {{amount}}' } },
  },
  'payment.confirmed': {
    audience: 'citizen',
    description: { vi: 'Đã nhận thanh toán', en: 'Payment received' },
    variables: ['code', 'amount', 'receiptNo', 'applicant'],
    sms: { vi: 'Đã nhận {{amount}} cho hồ sơ {{code}}. Biên lai số {{receiptNo}}.', en: 'Received {{amount}} for dossier {{code}}. Receipt {{receiptNo}}.' },
    email: mail(
      { vi: 'Xác nhận thanh toán hồ sơ {{code}}', en: 'Payment received for dossier {{code}}' },
      { vi: 'Kính gửi {{applicant}},\n\nChúng tôi đã nhận {{amount}} cho hồ sơ {{code}}. Biên lai số {{receiptNo}}.', en: 'Dear {{applicant}},\n\nWe received {{amount}} for dossier {{code}}. Receipt {{receiptNo}}.' },
    ),
    inApp: { subject: { vi: 'Đã nhận thanh toán hồ sơ {{code}}', en: 'Payment received for dossier {{code}}' }, body: { vi: '{{amount}}, biên lai số {{receiptNo}}', en: '{{amount}}, receipt {{receiptNo}}' } },
  },
  'post.shipment_status': {
    audience: 'citizen',
    description: { vi: 'Bưu gửi thay đổi trạng thái', en: 'A postal shipment changed status' },
    variables: ['code', 'trackingCode', 'shipment', 'status', 'applicant'],
    sms: { vi: 'Hồ sơ {{code}}: {{shipment}} (mã vận đơn {{trackingCode}}) {{status}}.', en: 'Dossier {{code}}: {{shipment}} (tracking {{trackingCode}}) {{status}}.' },
    email: mail(
      { vi: 'Bưu gửi {{trackingCode}}: {{status}}', en: 'Shipment {{trackingCode}}: {{status}}' },
      { vi: 'Kính gửi {{applicant}},\n\nHồ sơ {{code}}: {{shipment}} (mã vận đơn {{trackingCode}}) {{status}}.', en: 'Dear {{applicant}},\n\nDossier {{code}}: {{shipment}} (tracking {{trackingCode}}) {{status}}.' },
    ),
    inApp: { subject: { vi: 'Bưu gửi {{trackingCode}}', en: 'Shipment {{trackingCode}}' }, body: { vi: '{{shipment}} {{status}}.', en: '{{shipment}} {{status}}.' } },
  },
  'support.reply': {
    audience: 'citizen',
    description: { vi: 'Trả lời yêu cầu hỗ trợ', en: 'A reply from support' },
    variables: ['ticket', 'reply', 'applicant'],
    sms: { vi: 'Bộ phận hỗ trợ đã trả lời yêu cầu {{ticket}}: {{reply}}', en: 'Support replied to {{ticket}}: {{reply}}' },
    email: mail({ vi: 'Trả lời yêu cầu hỗ trợ {{ticket}}', en: 'Reply to your request {{ticket}}' }, { vi: 'Kính gửi {{applicant}},\n\n{{reply}}', en: 'Dear {{applicant}},\n\n{{reply}}' }),
    inApp: { subject: { vi: 'Trả lời yêu cầu {{ticket}}', en: 'Reply to {{ticket}}' }, body: { vi: '{{reply}}', en: '{{reply}}' } },
  },
  'feedback.update': {
    audience: 'citizen',
    description: { vi: 'Phản ánh, kiến nghị được trả lời, không tiếp nhận hoặc cần bổ sung thông tin', en: 'Feedback answered, not taken up, or needing more information' },
    variables: ['code', 'subject', 'outcome', 'link', 'applicant'],
    sms: { vi: 'Phản ánh, kiến nghị {{code}}: {{outcome}}', en: 'Feedback {{code}}: {{outcome}}' },
    email: mail(
      { vi: 'Phản ánh, kiến nghị {{code}}: {{subject}}', en: 'Your feedback {{code}}: {{subject}}' },
      { vi: 'Kính gửi {{applicant}},\n\n{{outcome}}\n\nXem chi tiết: {{link}}', en: 'Dear {{applicant}},\n\n{{outcome}}\n\nDetails: {{link}}' },
    ),
    inApp: { subject: { vi: 'Phản ánh, kiến nghị {{code}}', en: 'Feedback {{code}}' }, body: { vi: '{{outcome}}', en: '{{outcome}}' } },
  },
  'staff.message': {
    audience: 'citizen',
    description: { vi: 'Tin nhắn của cán bộ về hồ sơ', en: 'A message from an official about the dossier' },
    variables: ['code', 'agency', 'message', 'applicant'],
    sms: { vi: '{{agency}} (hồ sơ {{code}}): {{message}}', en: '{{agency}} (dossier {{code}}): {{message}}' },
    email: mail({ vi: 'Tin nhắn về hồ sơ {{code}}', en: 'A message about dossier {{code}}' }, { vi: 'Kính gửi {{applicant}},\n\n{{message}}', en: 'Dear {{applicant}},\n\n{{message}}' }),
    inApp: { subject: { vi: 'Tin nhắn về hồ sơ {{code}}', en: 'Message about dossier {{code}}' }, body: { vi: '{{message}}', en: '{{message}}' } },
  },
  'queue.new_dossier': {
    audience: 'official',
    description: { vi: 'Hồ sơ mới chờ tiếp nhận', en: 'A new dossier to receive' },
    variables: ['procedure', 'applicant', 'channel'],
    inApp: { subject: { vi: 'Hồ sơ mới chờ tiếp nhận', en: 'New dossier to receive' }, body: { vi: '{{procedure}} — {{applicant}} ({{channel}})', en: '{{procedure}} — {{applicant}} ({{channel}})' } },
  },
  'queue.arrived': {
    audience: 'official',
    description: { vi: 'Hồ sơ chuyển đến bước của đơn vị', en: 'A dossier arrived at a step of the unit' },
    variables: ['code', 'procedure', 'step', 'stepDue'],
    inApp: { subject: { vi: 'Hồ sơ {{code}} chuyển đến: {{step}}', en: 'Dossier {{code}} arrived: {{step}}' }, body: { vi: '{{procedure}}. Hạn xử lý bước: {{stepDue}}', en: '{{procedure}}. Step due: {{stepDue}}' } },
  },
  'queue.assigned': {
    audience: 'official',
    description: { vi: 'Được giao xử lý hồ sơ', en: 'A dossier was assigned to the official' },
    variables: ['code', 'procedure', 'step', 'stepDue'],
    inApp: { subject: { vi: 'Được giao hồ sơ {{code}}', en: 'Dossier {{code}} assigned to you' }, body: { vi: '{{procedure}} — {{step}}. Hạn xử lý bước: {{stepDue}}', en: '{{procedure}} — {{step}}. Step due: {{stepDue}}' } },
  },
  'queue.supplemented': {
    audience: 'official',
    description: { vi: 'Công dân đã bổ sung hồ sơ', en: 'The applicant supplied papers' },
    variables: ['code', 'procedure', 'applicant'],
    inApp: { subject: { vi: 'Hồ sơ {{code}} đã được bổ sung', en: 'Dossier {{code}} supplemented' }, body: { vi: '{{applicant}} đã bổ sung hồ sơ {{procedure}}.', en: '{{applicant}} supplied papers for {{procedure}}.' } },
  },
  'queue.result_to_return': {
    audience: 'official',
    description: { vi: 'Hồ sơ đã phê duyệt, chờ trả kết quả', en: 'Approved: the result is to be handed over' },
    variables: ['code', 'procedure', 'collect'],
    inApp: { subject: { vi: 'Hồ sơ {{code}} chờ trả kết quả', en: 'Dossier {{code}}: result to hand over' }, body: { vi: '{{procedure}}. {{collect}}', en: '{{procedure}}. {{collect}}' } },
  },
  'queue.delivery_failed': {
    audience: 'official',
    description: { vi: 'Bưu chính không giao được kết quả: trả về quầy', en: 'The post could not deliver the result: back to the counter' },
    variables: ['code', 'trackingCode', 'status', 'note'],
    inApp: { subject: { vi: 'Không giao được kết quả hồ sơ {{code}}', en: 'Result of dossier {{code}} not delivered' }, body: { vi: 'Bưu gửi {{trackingCode}} {{status}} ({{note}}). Hồ sơ trở lại danh sách chờ trả kết quả tại quầy.', en: 'Shipment {{trackingCode}} {{status}} ({{note}}). The dossier is back in the counter\'s queue.' } },
  },
} as const satisfies Record<string, EventDef>;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function eventDef(name: EventName): EventDef {
  return EVENTS[name];
}

/** Channels an event can use. */
export function eventChannels(name: EventName): Channel[] {
  const d: EventDef = EVENTS[name];
  return CHANNELS.filter((c) => (c === 'sms' ? !!d.sms : c === 'email' ? !!d.email : true));
}

/** Sample values for previews. */
export const SAMPLE_VARIABLES: Record<string, string> = {
  code: '000.00.12.H56-260105-0001',
  procedure: 'Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa',
  agency: 'Sở Khoa học và Công nghệ',
  appointment: '15/01/2026 16:00',
  applicant: 'Nguyễn Văn An',
  lookupUrl: 'https://dichvucong.example.vn/tra-cuu',
  reasons: 'Thiếu bản sao Căn cước công dân có chứng thực',
  reason: 'Cần xin ý kiến cơ quan liên quan',
  collect: 'Mời ông/bà đến nhận kết quả tại Bộ phận Một cửa.',
  amount: '1.250.000 ₫',
  receiptNo: '0000123',
  trackingCode: 'EB123456789VN',
  shipment: 'bưu gửi kết quả',
  status: 'đang vận chuyển',
  ticket: 'HT-2026-0001',
  reply: 'Ông/bà vui lòng mang theo bản chính khi nhận kết quả.',
  message: 'Đề nghị ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn.',
  step: 'Thẩm định hồ sơ',
  stepDue: '10/01/2026 17:00',
  channel: 'trực tuyến',
  note: 'Người nhận vắng nhà',
};
