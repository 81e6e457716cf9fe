export type { CallbackCheck, GatewayTransport, PaymentUrlRequest, QueryOutcome, QueryRequest, RedirectGateway, TransferQr } from './port.ts';
export { amountMatches, fetchTransport, IPN_REQUIRED, parseVnpayTime, signData, signParams, verifySignature, VnpayGateway, vnpayTime } from './vnpay.ts';
export { buildVietQr, cleanPurpose, crc16, qrSvg, type VietQrAccount } from './vietqr.ts';
export { SANDBOX_PREFIX, SandboxGateway } from './sandbox.ts';
