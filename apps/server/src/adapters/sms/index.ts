export { concatUdh, MAX_SMS_PARTS, readConcatUdh, SMS_LIMITS, splitSms, toMsisdn, type SmsEncoding, type SmsSplit } from './encoding.ts';
export { GatewayError, type DeliveryReceipt, type ReceiptState, type SmsGateway, type SmsSent, type SmsToSend } from './port.ts';
export { parseReceipt, receiptText } from './receipts.ts';
export { classifyStatus, SmppGateway, type Logger, type SmppSettings } from './smpp-gateway.ts';
export { HttpSmsGateway, httpReceiptState, type HttpSmsSettings } from './http-gateway.ts';
export { SandboxSmsc, type SandboxSmscOptions, type SmscMessage, type SubmitAction } from './sandbox-smsc.ts';
