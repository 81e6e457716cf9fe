/** Vietnamese wording of the enumerations printed on the forms. */
import type { ComponentForm, RegisterStatus, ResultDelivery, StepResult } from './types.ts';

export const COMPONENT_FORM_LABELS: Record<ComponentForm, string> = {
  original: 'Bản chính',
  'certified-copy': 'Bản sao chứng thực',
  copy: 'Bản sao',
  electronic: 'Bản điện tử',
};

export const STEP_RESULT_LABELS: Record<StepResult, string> = {
  early: 'Trước hạn',
  'on-time': 'Đúng hạn',
  late: 'Quá hạn',
};

export const REGISTER_STATUS_LABELS: Record<RegisterStatus, string> = {
  processing: 'Đang giải quyết',
  'waiting-supplement': 'Chờ bổ sung',
  early: 'Trả trước hạn',
  'on-time': 'Trả đúng hạn',
  late: 'Trả quá hạn',
  refused: 'Từ chối',
  stopped: 'Dừng xử lý',
  withdrawn: 'Rút hồ sơ',
};

/** "Đăng ký nhận kết quả tại: …" */
export function resultDeliveryText(d: ResultDelivery, receivingUnit: string): string {
  switch (d.method) {
    case 'counter':
      return `Trực tiếp tại ${d.detail ?? receivingUnit}`;
    case 'post':
      return d.detail ? `Qua dịch vụ bưu chính công ích, đến địa chỉ: ${d.detail}` : 'Qua dịch vụ bưu chính công ích';
    case 'online':
      return d.detail ? `Trực tuyến: ${d.detail}` : 'Trực tuyến, bản điện tử trên Cổng Dịch vụ công';
  }
}
