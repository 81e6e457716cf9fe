import { AppError, conflict, fieldError } from '../../http/errors.ts';
import type { Pkcs12Failure } from '../../adapters/signing/index.ts';

/** Why a document could not be signed. Each stops the action that needed the signature, and nothing changes. */
export const signingErrors = {
  certificateMissing: (agency: string) => conflict('signing_certificate_missing', {
    vi: `${agency} chưa có chứng thư số để ký. Quản trị viên cơ quan cần tải lên chứng thư số (tệp .p12/.pfx) trước khi phê duyệt.`,
    en: `${agency} has no certificate to sign with. An agency admin must upload its certificate (.p12/.pfx file) before approval.`,
  }),
  certificateExpired: (agency: string, notAfter: string) => conflict('signing_certificate_expired', {
    vi: `Chứng thư số của ${agency} đã hết hạn ngày ${notAfter}. Cần gia hạn và tải lên chứng thư số mới trước khi ký.`,
    en: `The certificate of ${agency} expired on ${notAfter}. Renew it and upload the new certificate before signing.`,
  }),
  certificateNotYetValid: (agency: string, notBefore: string) => conflict('signing_certificate_not_yet_valid', {
    vi: `Chứng thư số của ${agency} chỉ có hiệu lực từ ngày ${notBefore}.`,
    en: `The certificate of ${agency} is only valid from ${notBefore}.`,
  }),
  keyUnusable: (agency: string) => conflict('signing_key_unusable', {
    vi: `Không mở được khóa bí mật của chứng thư số của ${agency} (sai mật khẩu hoặc khóa mã hóa đã thay đổi). Cần tải lên lại chứng thư số.`,
    en: `The private key of ${agency}'s certificate cannot be opened (wrong password or the encryption key changed). Upload the certificate again.`,
  }),
  unavailable: () => new AppError(503, 'signing_unavailable', {
    vi: 'Dịch vụ ký số không phản hồi. Thao tác chưa được thực hiện; vui lòng thử lại sau.',
    en: 'The signing service did not answer. Nothing was done; please try again later.',
  }, undefined, { 'retry-after': '30' }),
  resultMissing: () => conflict('result_document_missing', {
    vi: 'Chưa có văn bản kết quả (tệp PDF) để ký số. Cán bộ xử lý cần tải lên kết quả (loại "kết quả") trước khi phê duyệt.',
    en: 'There is no result document (PDF) to sign. The official handling the dossier must upload the result (kind "result") before approval.',
  }),
  resultUnsignable: (filename: string, why: { vi: string; en: string }) => conflict('result_document_unsignable', {
    vi: `Không ký số được tệp kết quả "${filename}": ${why.vi}`,
    en: `The result file "${filename}" cannot be signed: ${why.en}`,
  }),
};

export const UNSIGNABLE = {
  notPdf: { vi: 'chỉ ký được tệp PDF (hoặc ảnh JPEG/PNG, được chuyển thành PDF).', en: 'only PDF files (or JPEG/PNG images, turned into PDF) can be signed.' },
  damaged: { vi: 'tệp PDF bị hỏng hoặc không đọc được.', en: 'the PDF is damaged or unreadable.' },
  encrypted: { vi: 'tệp PDF được đặt mật khẩu/mã hóa.', en: 'the PDF is password-protected (encrypted).' },
  alreadySigned: {
    vi: 'tệp đã có chữ ký số; ký thêm sẽ làm hỏng chữ ký đó. Hãy tải lên bản chưa ký.',
    en: 'it already carries a digital signature that signing again would break. Upload the unsigned version.',
  },
  tooLarge: { vi: 'tệp quá lớn để ký.', en: 'the file is too large to sign.' },
} as const;

/** The bilingual 400 for a PKCS#12 upload that cannot be used. */
export function pkcs12Rejected(reason: Pkcs12Failure | 'expired' | 'not_for_signing' | 'ca_certificate') {
  const m: Record<typeof reason, [string, string, string]> = {
    malformed: ['body.file', 'Tệp không phải chứng thư số PKCS#12 (.p12/.pfx) hợp lệ.', 'The file is not a valid PKCS#12 (.p12/.pfx) certificate file.'],
    wrong_password: ['body.password', 'Sai mật khẩu của tệp chứng thư số.', 'Wrong password for the certificate file.'],
    no_key: ['body.file', 'Tệp không chứa khóa bí mật.', 'The file holds no private key.'],
    several_keys: ['body.file', 'Tệp chứa nhiều khóa bí mật; hãy xuất riêng chứng thư số dùng để ký.', 'The file holds several private keys; export only the signing certificate.'],
    no_certificate: ['body.file', 'Tệp không có chứng thư số khớp với khóa bí mật.', 'No certificate in the file matches the private key.'],
    unsupported_key: ['body.file', 'Khóa không được hỗ trợ (cần RSA từ 2048 bit hoặc ECDSA P-256/P-384/P-521).', 'Unsupported key (RSA of 2048 bits or more, or ECDSA P-256/P-384/P-521).'],
    expired: ['body.file', 'Chứng thư số đã hết hạn.', 'The certificate has expired.'],
    not_for_signing: ['body.file', 'Chứng thư số không được phép dùng để ký (thiếu mục đích chữ ký số).', 'The certificate may not be used for signatures (its key usage lacks digital signature).'],
    ca_certificate: ['body.file', 'Đây là chứng thư số của tổ chức cấp (CA), không phải của cơ quan.', 'This is a certificate authority\'s certificate, not an agency\'s.'],
  };
  const [path, vi, en] = m[reason];
  return fieldError(path, vi, en);
}
