/**
 * VietQR (NAPAS 247) bank-transfer codes: the EMVCo merchant-presented payload (built by
 * `vietnam-qr-pay`) with the bank BIN, account number, amount and a purpose text, ending in a
 * CRC-16/CCITT-FALSE checksum; drawn as SVG with `qrcode`.
 */
import QRCode from 'qrcode';
import { QRPay } from 'vietnam-qr-pay';
import type { TransferQr } from './port.ts';

export interface VietQrAccount {
  bankBin: string;
  accountNo: string;
  accountName: string;
}

/** Purposes travel through banks that drop accents and most punctuation: keep A–Z, 0–9, space, dot, hyphen. */
export function cleanPurpose(text: string): string {
  return text
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 50);
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo field 63 carries it, in 4 upper-case hex digits. */
export function crc16(data: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(data, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** A dynamic VietQR for `amountVnd` to `account`, with `purpose` (e.g. the dossier code) as the transfer text. */
export function buildVietQr(account: VietQrAccount, amountVnd: number, purpose: string): TransferQr {
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0) throw new RangeError('amount must be a positive whole number of VND');
  const text = cleanPurpose(purpose);
  const payload = QRPay.initVietQR({ bankBin: account.bankBin, bankNumber: account.accountNo, amount: String(amountVnd), purpose: text }).build();
  return { payload, bankBin: account.bankBin, accountNo: account.accountNo, accountName: account.accountName, amountVnd, purpose: text };
}

/** The payload as an SVG image (error correction M, a quiet zone of 4 modules). */
export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
