import type { Config } from '../config.ts';
import { HttpSmsGateway, SandboxSmsc, SmppGateway, type Logger, type SmsGateway } from '../adapters/sms/index.ts';
import { SandboxSmtp, SmtpGateway, type EmailGateway } from '../adapters/email/index.ts';

/** The sandboxes this process runs (the demo and the tests): real protocol peers on loopback. */
export interface Sandboxes {
  smsc: SandboxSmsc | null;
  smtp: SandboxSmtp | null;
  stop(): Promise<void>;
}

/** Starts the sandbox SMSC and SMTP server when their gateway is `sandbox`. */
export async function startSandboxes(config: Config): Promise<Sandboxes> {
  let smsc: SandboxSmsc | null = null;
  let smtp: SandboxSmtp | null = null;
  try {
    if (config.SMS_GATEWAY === 'sandbox') {
      smsc = new SandboxSmsc({
        host: '127.0.0.1', port: config.SANDBOX_SMSC_PORT, systemId: config.SMPP_SYSTEM_ID, password: config.SMPP_PASSWORD,
        autoReceiptMs: config.SANDBOX_SMSC_RECEIPT_MS === 0 ? null : (config.SANDBOX_SMSC_RECEIPT_MS ?? 1500), dedupeTlv: config.SMPP_DEDUPE_TLV,
      });
      await smsc.start();
    }
    if (config.EMAIL_GATEWAY === 'sandbox') {
      smtp = new SandboxSmtp({ host: '127.0.0.1', port: config.SANDBOX_SMTP_PORT });
      await smtp.start();
    }
  } catch (err) {
    await smsc?.stop();
    throw err;
  }
  return {
    smsc, smtp,
    async stop() {
      await smsc?.stop();
      await smtp?.stop();
    },
  };
}

export interface Gateways {
  sms: SmsGateway | null;
  email: EmailGateway | null;
  close(): Promise<void>;
}

/**
 * The SMS and email gateways the configuration names. With `sandbox`, they speak SMPP and SMTP
 * to the sandboxes on loopback (this process's, or the fixed ports of another's).
 */
export function createGateways(config: Config, log: Logger, sandboxes: Sandboxes | null): Gateways {
  let sms: SmsGateway | null = null;
  if (config.SMS_GATEWAY === 'smpp' || config.SMS_GATEWAY === 'sandbox') {
    const port = config.SMS_GATEWAY === 'sandbox' ? (sandboxes?.smsc?.port || config.SANDBOX_SMSC_PORT) : config.SMPP_PORT;
    if (!port) throw new Error('SMS_GATEWAY=sandbox in a process without the sandbox SMSC: set SANDBOX_SMSC_PORT to the port `serve` uses');
    sms = new SmppGateway({
      host: config.SMS_GATEWAY === 'sandbox' ? '127.0.0.1' : config.SMPP_HOST, port,
      systemId: config.SMPP_SYSTEM_ID, password: config.SMPP_PASSWORD, systemType: config.SMPP_SYSTEM_TYPE, brandname: config.SMS_BRANDNAME,
      sendRatePerSecond: config.SMPP_SEND_RATE, window: config.SMPP_WINDOW, enquireLinkSeconds: config.SMPP_ENQUIRE_LINK_SECONDS,
      submitTimeoutMs: config.SMPP_SUBMIT_TIMEOUT_MS, reconnectMinMs: config.SMPP_RECONNECT_MIN_MS, reconnectMaxMs: config.SMPP_RECONNECT_MAX_MS,
      dedupeTlv: config.SMPP_DEDUPE_TLV,
    }, log).start();
  } else if (config.SMS_GATEWAY === 'http') {
    // The contract's window and send rate hold for an HTTP vendor too (the dispatcher hands it many messages at once).
    sms = new HttpSmsGateway({
      url: config.SMS_HTTP_URL!, token: config.SMS_HTTP_TOKEN, brandname: config.SMS_BRANDNAME, timeoutMs: config.SMPP_SUBMIT_TIMEOUT_MS,
      window: config.SMPP_WINDOW, sendRatePerSecond: config.SMPP_SEND_RATE,
    });
  }
  let email: EmailGateway | null = null;
  if (config.EMAIL_GATEWAY === 'smtp' || config.EMAIL_GATEWAY === 'sandbox') {
    const sandbox = config.EMAIL_GATEWAY === 'sandbox';
    const port = sandbox ? (sandboxes?.smtp?.port || config.SANDBOX_SMTP_PORT) : config.SMTP_PORT;
    if (!port) throw new Error('EMAIL_GATEWAY=sandbox in a process without the sandbox SMTP server: set SANDBOX_SMTP_PORT to the port `serve` uses');
    email = new SmtpGateway({
      host: sandbox ? '127.0.0.1' : config.SMTP_HOST, port, secure: sandbox ? false : config.SMTP_SECURE, ignoreTls: sandbox,
      user: sandbox ? '' : config.SMTP_USER, password: sandbox ? '' : config.SMTP_PASSWORD, from: config.SMTP_FROM, timeoutMs: 15_000,
    });
  }
  return {
    sms, email,
    async close() {
      await sms?.close();
      await email?.close();
    },
  };
}
