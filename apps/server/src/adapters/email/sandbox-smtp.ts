import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: Date;
  /** Further copies with the same Message-ID (a mail store shows one). */
  copies: number;
}

/**
 * A sandbox SMTP server on loopback (`smtp-server`) that catches every mail instead of
 * delivering it, parsed with `mailparser`, for the demo page and the tests.
 */
export class SandboxSmtp {
  private server: SMTPServer | null = null;
  private readonly byId = new Map<string, CaughtMail>();
  private readonly order: CaughtMail[] = [];
  port = 0;

  constructor(private readonly opts: { host?: string; port?: number; capacity?: number } = {}) {}

  async start(): Promise<number> {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      banner: 'motcua sandbox SMTP: mail is caught, never delivered',
      size: 5 * 1024 * 1024,
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username ?? 'sandbox' }),
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((m) => {
            this.catch({
              messageId: m.messageId ?? `no-id-${Date.now()}`,
              from: m.from?.text ?? String(session.envelope.mailFrom && session.envelope.mailFrom.address),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: m.subject ?? '',
              text: (m.text ?? '').trimEnd(),
              receivedAt: new Date(),
              copies: 0,
            });
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    server.on('error', () => undefined);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  private catch(mail: CaughtMail) {
    const seen = this.byId.get(mail.messageId);
    if (seen) {
      seen.copies++;
      return;
    }
    this.byId.set(mail.messageId, mail);
    this.order.push(mail);
    while (this.order.length > (this.opts.capacity ?? 1000)) this.byId.delete(this.order.shift()!.messageId);
  }

  /** Caught mail, newest first. */
  get mails(): CaughtMail[] {
    return [...this.order].reverse();
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
