/** The email port: SMTP relays and the sandbox SMTP server sit behind this interface. */

export interface EmailToSend {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Our id for the message, sent as its Message-ID: the same on every attempt, so a mail that
   * went out twice (a crash between hand-over and record) is one message to mail stores.
   */
  messageId: string;
}

export interface EmailSent {
  providerRef: string;
}

export { GatewayError } from '../sms/port.ts';

export interface EmailGateway {
  readonly name: string;
  send(mail: EmailToSend): Promise<EmailSent>;
  close(): Promise<void>;
}
