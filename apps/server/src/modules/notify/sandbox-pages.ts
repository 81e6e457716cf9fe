import type { FastifyInstance } from 'fastify';
import type { SandboxSmsc } from '../../adapters/sms/index.ts';
import type { SandboxSmtp } from '../../adapters/email/index.ts';
import { acceptForms, assertSameSite, esc, sendPage } from './html.ts';

const time = (d: Date) => d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
const STATE_WORDS: Record<string, string> = { ENROUTE: 'đang chuyển', DELIVRD: 'đã nhận', UNDELIV: 'không gửi được', EXPIRED: 'hết hạn', REJECTD: 'bị từ chối' };

/**
 * The sandbox SMSC's and SMTP server's pages for demo users: what they received, newest first.
 * Only registered when the sandbox runs in this process (SMS_GATEWAY / EMAIL_GATEWAY = sandbox).
 */
export function notifySandboxPages(app: FastifyInstance, sandboxes: { smsc: SandboxSmsc | null; smtp: SandboxSmtp | null }) {
  const { smsc, smtp } = sandboxes;
  if (smsc) {
    app.register(async (scope) => {
      acceptForms(scope);
      scope.get('/sandbox/sms/', { schema: { hide: true } }, async (_req, reply) => {
        const rows = smsc.messages.slice(0, 200).map((m) => {
          const state = [...new Set(m.parts.map((p) => STATE_WORDS[p.state] ?? p.state))].join(', ');
          return `<tr><td>${esc(time(m.receivedAt))}</td><td>${esc(m.from)}</td><td>${esc(m.to)}</td>
            <td><pre>${esc(m.text)}</pre>${m.complete ? '' : '<p><em>Chưa đủ các phần của tin nhắn.</em></p>'}</td>
            <td>${m.parts.length}/${m.total} (${m.dataCoding === 8 ? 'UCS-2' : 'GSM 7-bit'})</td><td>${esc(state)}</td>
            <td><form method="post" action="/sandbox/sms/receipt"><input type="hidden" name="key" value="${esc(m.key)}">
              <button name="stat" value="DELIVRD">Báo đã nhận</button><button name="stat" value="UNDELIV">Báo không gửi được</button></form></td></tr>`;
        }).join('\n');
        const body = `<p>SMSC thử nghiệm (SMPP 3.4) trên 127.0.0.1:${smsc.port}. Đã nhận ${smsc.submits} lệnh submit_sm, ${smsc.duplicates} lệnh trùng mã chống lặp (không gửi lại).</p>
          <table><caption>Tin nhắn SMSC đã nhận (mới nhất trước)</caption>
          <thead><tr><th scope="col">Thời gian</th><th scope="col">Người gửi</th><th scope="col">Số nhận</th><th scope="col">Nội dung</th><th scope="col">Số phần</th><th scope="col">Trạng thái</th><th scope="col">Báo nhận</th></tr></thead>
          <tbody>${rows || '<tr><td colspan="7">Chưa có tin nhắn nào.</td></tr>'}</tbody></table>`;
        return sendPage(reply, 'Tin nhắn SMS đã nhận', body);
      });
      scope.post('/sandbox/sms/receipt', { schema: { hide: true } }, async (req, reply) => {
        assertSameSite(req);
        const b = (req.body ?? {}) as { key?: string; stat?: string };
        if (b.key && (b.stat === 'DELIVRD' || b.stat === 'UNDELIV')) smsc.sendMessageReceipt(b.key, b.stat);
        return reply.redirect('/sandbox/sms/', 303);
      });
    });
  }
  if (smtp) {
    app.get('/sandbox/email/', { schema: { hide: true } }, async (_req, reply) => {
      const rows = smtp.mails.slice(0, 200).map((m) => `<tr><td>${esc(time(m.receivedAt))}</td><td>${esc(m.to.join(', '))}</td>
        <td><details><summary>${esc(m.subject)}</summary><pre>${esc(m.text)}</pre></details></td><td>${m.copies ? `${m.copies} bản lặp (cùng Message-ID)` : ''}</td></tr>`).join('\n');
      const body = `<p>Máy chủ SMTP thử nghiệm trên 127.0.0.1:${smtp.port}: thư được giữ lại tại đây, không gửi đi.</p>
        <table><caption>Thư đã nhận (mới nhất trước)</caption>
        <thead><tr><th scope="col">Thời gian</th><th scope="col">Người nhận</th><th scope="col">Tiêu đề và nội dung</th><th scope="col">Ghi chú</th></tr></thead>
        <tbody>${rows || '<tr><td colspan="4">Chưa có thư nào.</td></tr>'}</tbody></table>`;
      return sendPage(reply, 'Thư điện tử đã nhận', body);
    });
  }
}
