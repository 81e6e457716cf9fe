import { App, Descriptions, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RefundBody, StaffPayment } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { recordRefund, STAFF_PAYMENTS_KEY } from '../../../api/staff-payments';
import { formatMoney } from '../../../lib/format';
import { useServerFieldErrors } from '../../../lib/server-errors';

type RefundForm = { amountVnd: number | null; reason: string; reference?: string };

/** Record money given back on a settled payment: amount (at most what is left), reason, and the bank's reference. */
export function RefundModal({ payment, onClose }: { payment: StaffPayment; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RefundForm>();
  const left = payment.amountVnd - payment.refundedVnd;
  const overpaidLeft = Math.max(0, payment.overpaidVnd - payment.refundedVnd);
  const save = useMutation({
    mutationFn: (body: RefundBody) => recordRefund(payment.id, body),
    onSuccess: (refund) => {
      void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY });
      void message.success(t('staffPayments.refund.done', { amount: formatMoney(refund.amountVnd), reference: payment.reference }));
      onClose();
    },
    // An unanswered refund (502) is held and listed among the refunds awaiting confirmation.
    onError: () => void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY }),
  });
  const otherErrors = useServerFieldErrors(form, save.error, ['amountVnd', 'reason', 'reference']);

  return (
    <Modal
      open
      title={t('staffPayments.refund.title', { reference: payment.reference })}
      onCancel={onClose}
      okText={t('staffPayments.refund.ok')}
      cancelText={t('staffPayments.cancel')}
      okButtonProps={{ loading: save.isPending }}
      onOk={() => form.submit()}
      width={560}
    >
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('staffPayments.col.dossier')}>{payment.dossierCode ?? t('staffPayments.noCode')}</Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.col.applicant')}>{payment.applicantName}</Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.col.amount')}>{formatMoney(payment.amountVnd)}</Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.refund.already')}>{formatMoney(payment.refundedVnd)}</Descriptions.Item>
        {payment.overpaidVnd > 0 ? <Descriptions.Item label={t('staffPayments.refund.overpaid')}>{formatMoney(payment.overpaidVnd)}</Descriptions.Item> : null}
      </Descriptions>
      <Typography.Paragraph className="muted">{t('staffPayments.refund.help', { left: formatMoney(left) })}</Typography.Paragraph>
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<RefundForm>
        form={form}
        layout="vertical"
        noValidate
        initialValues={{ amountVnd: overpaidLeft > 0 ? overpaidLeft : null, reason: '', reference: '' }}
        onFinish={(v) =>
          save.mutate({ amountVnd: Number(v.amountVnd), reason: v.reason.trim(), ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}) })
        }
      >
        <Form.Item
          name="amountVnd"
          label={t('staffPayments.refund.amount')}
          rules={[
            { required: true, message: t('staffPayments.required') },
            { type: 'number', min: 1, max: left, message: t('staffPayments.refund.amountRange', { max: formatMoney(left) }) },
          ]}
        >
          {/* No min/max here: they would silently clamp what was typed; the rule above explains instead. */}
          <InputNumber<number> step={1000} precision={0} style={{ width: '100%', maxWidth: 240 }} suffix="₫" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('staffPayments.refund.reason')}
          rules={[
            { required: true, whitespace: true, message: t('staffPayments.required') },
            { min: 5, message: t('staffPayments.minChars', { n: 5 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="reference" label={t('staffPayments.refund.reference')} extra={t('staffPayments.refund.referenceHelp')}>
          <Input maxLength={100} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
