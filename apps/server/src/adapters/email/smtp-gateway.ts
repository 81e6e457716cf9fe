import nodemailer, { type Transporter } from 'nodemailer';
import { GatewayError, type EmailGateway, type EmailSent, type EmailToSend } from './port.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  /** Never upgrade with STARTTLS (the loopback sandbox only). */
  ignoreTls: boolean;
  user: string;
  password: string;
  /** e.g. `Trung tâm Phục vụ hành chính công <noreply@motcua.example.vn>` */
  from: string;
  timeoutMs: number;
}

/** Email over SMTP with nodemailer (a pooled transport). 5xx answers are permanent, the rest transient. */
export class SmtpGateway implements EmailGateway {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly cfg: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure,
      ignoreTLS: cfg.ignoreTls,
      auth: cfg.user ? { user: cfg.user, pass: cfg.password } : undefined,
      pool: true,
      maxConnections: 3,
      connectionTimeout: cfg.timeoutMs,
      greetingTimeout: cfg.timeoutMs,
      socketTimeout: cfg.timeoutMs,
    });
  }

  async send(mail: EmailToSend): Promise<EmailSent> {
    try {
      const info = await this.transport.sendMail({
        from: this.cfg.from,
        to: mail.to,
        subject: mail.subject.normalize('NFC'),
        text: mail.text.normalize('NFC'),
        ...(mail.html ? { html: mail.html.normalize('NFC') } : {}),
        messageId: mail.messageId,
      });
      if (info.rejected?.length) throw new GatewayError('permanent', 'rejected', 'the mail relay refused the recipient');
      return { providerRef: mail.messageId };
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      const e = err as { responseCode?: number; code?: string; message?: string };
      if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600)
        throw new GatewayError('permanent', `smtp_${e.responseCode}`, `refused by the mail relay: ${String(e.message).slice(0, 200)}`);
      throw new GatewayError('transient', e.responseCode ? `smtp_${e.responseCode}` : (e.code ?? 'smtp_error'), `mail relay: ${String(e.message).slice(0, 200)}`);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
