import { useRef, useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { CreditCardOutlined, DownloadOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DossierFee, Payment, StartedVnpay, VietQrTransfer } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../api/client';
import { dossierPaymentsKey, receiptUrl, useDossierPayments } from '../api/payments';
import { formatDateTimeShort, formatMoney } from '../lib/format';
import { ErrorAlert } from './ErrorAlert';

/** Solid colours with white text (WCAG AA), as the dossier status tags. */
const FEE_STATUS_COLOR: Record<DossierFee['status'], string> = { due: '#8a5300', paid: '#1e6b34', exempted: '#0b4f9c', free: '#595959' };
const PAYMENT_STATUS_COLOR: Record<Payment['status'], string> = {
  pending: '#8a5300',
  paid: '#1e6b34',
  failed: '#8c1d18',
  expired: '#595959',
  cancelled: '#595959',
};

/** A key per attempt: a retried request reuses it, a new attempt after success gets a fresh one. */
function useIdempotencyKey() {
  const key = useRef(newIdempotencyKey());
  return { current: () => key.current, renew: () => (key.current = newIdempotencyKey()) };
}

/** The VietQR code and the transfer details, for a banking app or a counter. */
function VietQrPanel({ transfer }: { transfer: VietQrTransfer }) {
  const { t } = useTranslation();
  const { qr } = transfer;
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.svg)}`;
  return (
    <div className="vietqr-panel" data-testid="vietqr">
      <h3 className="sub-heading">{t('payments.vietqrTitle')}</h3>
      <Space wrap align="start" size="large">
        <img
          src={src}
          width={220}
          height={220}
          alt={t('payments.vietqrAlt', { amount: formatMoney(qr.amountVnd), account: qr.accountNo, purpose: qr.purpose })}
          style={{ background: '#fff', padding: 8, border: '1px solid #d9d9d9' }}
        />
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('payments.bankBin')}>{qr.bankBin}</Descriptions.Item>
          <Descriptions.Item label={t('payments.accountNo')}>
            <Typography.Text copyable={{ text: qr.accountNo }}>{qr.accountNo}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('payments.accountName')}>{qr.accountName}</Descriptions.Item>
          <Descriptions.Item label={t('payments.amount')}>
            <strong>{formatMoney(qr.amountVnd)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('payments.purpose')}>
            <Typography.Text copyable={{ text: qr.purpose }} strong>
              {qr.purpose}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Space>
      <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
        {t('payments.vietqrHint')}
      </Typography.Paragraph>
    </div>
  );
}

/**
 * Fees of a dossier for its applicant: what is due and when, paying through VNPay (the browser
 * goes to the gateway and comes back to /thanh-toan/ket-qua) or by VietQR transfer, and the
 * payment history with e-receipts. Renders nothing for a dossier without fees or payments.
 */
export function DossierPayments({ dossierId }: { dossierId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const payments = useDossierPayments(dossierId);
  const vnpayKey = useIdempotencyKey();
  const vietqrKey = useIdempotencyKey();
  const [transfer, setTransfer] = useState<VietQrTransfer | null>(null);

  const vnpay = useMutation({
    mutationFn: () =>
      api.post<StartedVnpay>(
        `/dossiers/${encodeURIComponent(dossierId)}/payments/vnpay`,
        { locale: i18n.language === 'en' ? 'en' : 'vi' },
        { headers: { 'idempotency-key': vnpayKey.current() } },
      ),
    onSuccess: (started) => {
      vnpayKey.renew();
      window.location.assign(started.redirectUrl);
    },
  });
  const vietqr = useMutation({
    mutationFn: () =>
      api.post<VietQrTransfer>(`/dossiers/${encodeURIComponent(dossierId)}/payments/vietqr`, {}, { headers: { 'idempotency-key': vietqrKey.current() } }),
    onSuccess: (answer) => {
      vietqrKey.renew();
      setTransfer(answer);
      void queryClient.invalidateQueries({ queryKey: dossierPaymentsKey(dossierId) });
    },
  });

  const data = payments.data;
  if (payments.isPending) return null;
  if (!data) return <ErrorAlert error={payments.error} />;
  if (data.fees.length === 0 && data.payments.length === 0) return null;

  const { totals, methods, blocking, pending } = data;
  const canPayOnline = methods.acceptsPayments && totals.dueOnlineVnd > 0;

  return (
    <Card
      className="section-card"
      data-testid="dossier-payments"
      title={
        <h2 className="card-heading" id="payments-heading">
          <CreditCardOutlined aria-hidden /> {t('payments.title')}
        </h2>
      }
    >
      <Table<DossierFee>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.fees}
        scroll={{ x: true }}
        columns={[
          { title: t('payments.feeName'), dataIndex: 'name' },
          { title: t('payments.amount'), dataIndex: 'amountVnd', align: 'right', render: (v: number) => formatMoney(v) },
          { title: t('payments.whenDue'), dataIndex: 'when', render: (w: DossierFee['when']) => t(`payments.when.${w}`) },
          {
            title: t('payments.status'),
            dataIndex: 'status',
            render: (s: DossierFee['status'], f) => (
              <>
                <Tag color={FEE_STATUS_COLOR[s]}>{t(`payments.feeStatus.${s}`)}</Tag>
                {!f.payableOnline && s === 'due' ? <div className="muted">{t('payments.counterOnly')}</div> : null}
                {f.exemption ? <div className="muted">{f.exemption.reason}</div> : null}
              </>
            ),
          },
        ]}
      />

      <Descriptions column={{ xs: 1, sm: 3 }} size="small" style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('payments.totalDue')}>
          <strong data-testid="payments-due">{formatMoney(totals.dueVnd)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('payments.totalPaid')}>{formatMoney(totals.paidVnd)}</Descriptions.Item>
        {totals.exemptedVnd > 0 ? <Descriptions.Item label={t('payments.totalExempted')}>{formatMoney(totals.exemptedVnd)}</Descriptions.Item> : null}
      </Descriptions>

      {blocking ? (
        <Alert
          type="warning"
          showIcon
          title={t(`payments.blocking.${blocking.action}`, { amount: formatMoney(blocking.dueVnd) })}
          style={{ marginBottom: 12 }}
        />
      ) : null}

      {pending ? (
        <Alert
          type="info"
          showIcon
          title={t('payments.pendingTitle', { amount: formatMoney(pending.payment.amountVnd) })}
          description={pending.payment.expiresAt ? t('payments.pendingUntil', { date: formatDateTimeShort(pending.payment.expiresAt) }) : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}

      {canPayOnline ? (
        <>
          <Typography.Paragraph>{t('payments.payOnlineIntro', { amount: formatMoney(totals.dueOnlineVnd) })}</Typography.Paragraph>
          <Space wrap>
            {methods.vnpay ? (
              <Button type="primary" icon={<CreditCardOutlined aria-hidden />} loading={vnpay.isPending} onClick={() => vnpay.mutate()}>
                {pending ? t('payments.resumeVnpay') : t('payments.payVnpay')}
              </Button>
            ) : null}
            {methods.vietqr ? (
              <Button icon={<QrcodeOutlined aria-hidden />} loading={vietqr.isPending} onClick={() => vietqr.mutate()}>
                {t('payments.payVietqr')}
              </Button>
            ) : null}
          </Space>
          <ErrorAlert error={vnpay.error ?? vietqr.error} />
        </>
      ) : totals.dueVnd > 0 && !methods.acceptsPayments ? (
        <Typography.Paragraph className="muted">{t('payments.notAcceptingNow')}</Typography.Paragraph>
      ) : totals.dueVnd > 0 ? (
        <Typography.Paragraph className="muted">{t('payments.payAtCounter')}</Typography.Paragraph>
      ) : null}

      {transfer ? <VietQrPanel transfer={transfer} /> : null}

      {data.payments.length > 0 ? (
        <>
          <h3 className="sub-heading" id="payment-history-heading">
            {t('payments.history')}
          </h3>
          <Table<Payment>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={data.payments}
            scroll={{ x: true }}
            data-testid="payment-history"
            columns={[
              { title: t('payments.date'), dataIndex: 'createdAt', render: (_: string, p) => formatDateTimeShort(p.paidAt ?? p.createdAt) },
              { title: t('payments.method'), dataIndex: 'method', render: (m: Payment['method']) => t(`payments.methods.${m}`) },
              { title: t('payments.amount'), dataIndex: 'amountVnd', align: 'right', render: (v: number) => formatMoney(v) },
              {
                title: t('payments.status'),
                dataIndex: 'status',
                render: (s: Payment['status']) => <Tag color={PAYMENT_STATUS_COLOR[s]}>{t(`payments.paymentStatus.${s}`)}</Tag>,
              },
              {
                title: t('payments.receipt'),
                key: 'receipt',
                render: (_: unknown, p) =>
                  p.receipt ? (
                    <a href={receiptUrl(p.id)} download aria-label={t('payments.downloadReceipt', { code: p.receipt.code })}>
                      <DownloadOutlined aria-hidden /> {p.receipt.code}
                    </a>
                  ) : (
                    <span className="muted">—</span>
                  ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}
