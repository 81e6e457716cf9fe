import { App, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PendingRefundRequest, ResolveRefundRequestBody } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../../api/client';
import { resolveRefundRequest, STAFF_PAYMENTS_KEY } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatDateTimeShort, formatMoney } from '../../../lib/format';
import { useServerFieldErrors } from '../../../lib/server-errors';
import { CheckSummary } from './shared';

type ResolveForm = { note: string; reference?: string };

/** Answers that mean the list the official looked at is out of date. */
const STALE = ['refund_request_changed', 'refund_request_settled'];

/**
 * Settle one unanswered refund request after checking VNPay's merchant portal: refunded (the
 * refund is recorded, with VNPay's refund number) or not (the amount is freed), with a note.
 * The request's check count goes along: if the automatic check ran meanwhile, the server
 * refuses (409) and the list is reloaded with the latest answer.
 */
export function ResolveRefundModal({ row, refunded, onClose }: { row: PendingRefundRequest; refunded: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ResolveForm>();
  const amount = formatMoney(row.amountVnd);
  const save = useMutation({
    mutationFn: (body: ResolveRefundRequestBody) => resolveRefundRequest(row.paymentId, row.requestId, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY });
      void message.success(t(refunded ? 'staffPayments.refundRequests.confirmed' : 'staffPayments.refundRequests.closed', { amount, reference: row.paymentReference }));
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiRequestError && STALE.includes(err.code)) void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY });
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, ['note', 'reference']);
  const stale = save.error instanceof ApiRequestError && STALE.includes(save.error.code);

  return (
    <Modal
      open
      title={t(refunded ? 'staffPayments.refundRequests.confirmTitle' : 'staffPayments.refundRequests.notAppliedTitle')}
      onCancel={onClose}
      okText={t(refunded ? 'staffPayments.refundRequests.confirmOk' : 'staffPayments.refundRequests.notAppliedOk')}
      cancelText={t('staffPayments.cancel')}
      okButtonProps={{ loading: save.isPending, danger: !refunded, disabled: stale }}
      onOk={() => form.submit()}
      width={600}
    >
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('staffPayments.col.dossier')}>
          {row.dossierCode ?? t('staffPayments.noCode')} — {row.applicantName}
        </Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.col.reference')}>{row.paymentReference}</Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.refundRequests.col.amount')}>
          <strong>{amount}</strong> ({t('staffPayments.refundRequests.ofPayment', { amount: formatMoney(row.paymentAmountVnd) })})
        </Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.refundRequests.col.requested')}>
          {formatDateTimeShort(row.requestedAt)}
          {row.requestedBy ? ` · ${row.requestedBy.name}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.refundRequests.col.checks')}>
          <CheckSummary r={row} />
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph>{t(refunded ? 'staffPayments.refundRequests.confirmHelp' : 'staffPayments.refundRequests.notAppliedHelp')}</Typography.Paragraph>
      <ErrorAlert error={save.error} extra={[...otherErrors, ...(stale ? [t('staffPayments.refundRequests.refreshed')] : [])]} />
      <Form<ResolveForm>
        form={form}
        layout="vertical"
        noValidate
        initialValues={{ note: '', reference: '' }}
        onFinish={(v) =>
          save.mutate({
            refunded,
            note: v.note.trim(),
            expectedCheckCount: row.checks.count,
            ...(refunded && v.reference?.trim() ? { reference: v.reference.trim() } : {}),
          })
        }
      >
        {refunded ? (
          <Form.Item name="reference" label={t('staffPayments.refundRequests.reference')} extra={t('staffPayments.refundRequests.referenceHelp')}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="note"
          label={t(refunded ? 'staffPayments.refundRequests.note' : 'staffPayments.refundRequests.reason')}
          rules={[
            { required: true, whitespace: true, message: t('staffPayments.required') },
            { min: 5, message: t('staffPayments.minChars', { n: 5 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
