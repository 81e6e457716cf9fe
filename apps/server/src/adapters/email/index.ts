export { GatewayError, type EmailGateway, type EmailSent, type EmailToSend } from './port.ts';
export { SmtpGateway, type SmtpSettings } from './smtp-gateway.ts';
export { SandboxSmtp, type CaughtMail } from './sandbox-smtp.ts';
