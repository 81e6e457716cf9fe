import { useEffect, useState } from 'react';
import { App, Descriptions, Empty, Form, Input, Modal, Radio, Spin, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ResolveTransferBody, TransferCandidate, UnmatchedTransfer } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { resolveTransfer, STAFF_PAYMENTS_KEY, useTransferCandidates } from '../../../api/staff-payments';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatDate, formatMoney } from '../../../lib/format';
import { useServerFieldErrors } from '../../../lib/server-errors';

type ResolveForm = { candidate?: string; note: string };

const keyOf = (c: TransferCandidate) => (c.kind === 'payment' ? `payment:${c.paymentId}` : `dossier:${c.dossierId}`);

/** A candidate as one line a screen reader reads in full: what it is, whose, for what, how much. */
function candidateText(c: TransferCandidate, t: TFunction): string {
  const code = c.dossierCode ?? t('staffPayments.noCode');
  return c.kind === 'payment'
    ? t('staffPayments.resolve.candidatePayment', { reference: c.reference, code, applicant: c.applicantName, procedure: c.procedureName, amount: formatMoney(c.amountVnd) })
    : t('staffPayments.resolve.candidateDossier', { code, applicant: c.applicantName, procedure: c.procedureName, amount: formatMoney(c.amountVnd) });
}

/**
 * Review one unmatched transfer: match it to an open VietQR payment or to a dossier owing exactly
 * its amount (searched by dossier code, payment reference or applicant), or set it aside with a reason.
 */
export function ResolveModal({ row, mode, onClose }: { row: UnmatchedTransfer; mode: 'match' | 'dismiss'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ResolveForm>();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const candidates = useTransferCandidates(mode === 'match' ? row.id : null, q);
  const items = candidates.data?.items ?? [];

  const save = useMutation({
    mutationFn: (body: ResolveTransferBody) => resolveTransfer(row.id, body),
    onSuccess: (done) => {
      void queryClient.invalidateQueries({ queryKey: STAFF_PAYMENTS_KEY });
      void message.success(done.status === 'dismissed' ? t('staffPayments.resolve.dismissed') : t('staffPayments.resolve.matched'));
      onClose();
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, ['note']);

  const onFinish = (v: ResolveForm) => {
    if (mode === 'dismiss') return save.mutate({ action: 'dismiss', note: v.note.trim() });
    const [kind, id] = (v.candidate ?? '').split(':');
    save.mutate({ action: 'match', note: v.note.trim(), ...(kind === 'payment' ? { paymentId: id } : { dossierId: id }) });
  };

  return (
    <Modal
      open
      title={mode === 'match' ? t('staffPayments.resolve.matchTitle') : t('staffPayments.resolve.dismissTitle')}
      onCancel={onClose}
      okText={mode === 'match' ? t('staffPayments.resolve.matchOk') : t('staffPayments.resolve.dismissOk')}
      cancelText={t('staffPayments.cancel')}
      okButtonProps={{ loading: save.isPending, danger: mode === 'dismiss', disabled: mode === 'match' && items.length === 0 }}
      onOk={() => form.submit()}
      width={680}
    >
      <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('staffPayments.col.amount')}>
          <strong>{formatMoney(row.amountVnd)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('staffPayments.col.description')}>{row.description}</Descriptions.Item>
        {row.bookedOn ? <Descriptions.Item label={t('staffPayments.col.bookedOn')}>{formatDate(row.bookedOn)}</Descriptions.Item> : null}
        {row.bankRef ? <Descriptions.Item label={t('staffPayments.col.bankRef')}>{row.bankRef}</Descriptions.Item> : null}
      </Descriptions>
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<ResolveForm> form={form} layout="vertical" noValidate onFinish={onFinish} initialValues={{ note: '' }}>
        {mode === 'match' ? (
          <>
            <Typography.Paragraph>{t('staffPayments.resolve.matchHelp')}</Typography.Paragraph>
            <div style={{ marginBottom: 12 }}>
              <label htmlFor="candidate-search" className="field-label">
                {t('staffPayments.resolve.search')}
              </label>
              <Input id="candidate-search" value={text} onChange={(e) => setText(e.target.value)} allowClear maxLength={100} />
            </div>
            <ErrorAlert error={candidates.error} />
            <fieldset className="plain-fieldset">
              <legend>{t('staffPayments.resolve.candidates', { amount: formatMoney(row.amountVnd) })}</legend>
              {candidates.isPending ? (
                <Spin />
              ) : items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('staffPayments.resolve.noCandidates')} />
              ) : (
                <Form.Item name="candidate" rules={[{ required: true, message: t('staffPayments.resolve.pickOne') }]}>
                  <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="transfer-candidates">
                    {items.map((c) => (
                      <Radio key={keyOf(c)} value={keyOf(c)}>
                        {candidateText(c, t)}
                      </Radio>
                    ))}
                  </Radio.Group>
                </Form.Item>
              )}
            </fieldset>
          </>
        ) : (
          <Typography.Paragraph>{t('staffPayments.resolve.dismissHelp')}</Typography.Paragraph>
        )}
        <Form.Item
          name="note"
          label={mode === 'match' ? t('staffPayments.resolve.note') : t('staffPayments.resolve.reason')}
          rules={[
            { required: true, whitespace: true, message: t('staffPayments.required') },
            { min: 3, message: t('staffPayments.minChars', { n: 3 }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
