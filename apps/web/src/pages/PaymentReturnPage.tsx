import { Descriptions, Result, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { receiptUrl, useVnpayReturn } from '../api/payments';
import { ErrorAlert } from '../components/ErrorAlert';
import { LinkButton } from '../components/LinkButton';
import { Loading, PageTitle } from '../components/PageState';
import { formatMoney } from '../lib/format';
import { localise } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';

/**
 * Where VNPay sends the browser back (`VNPAY_RETURN_URL`, by default /thanh-toan/ket-qua). It only
 * shows what the server says about the parameters and the payment: the IPN settles payments.
 */
export function PaymentReturnPage() {
  const { t, i18n } = useTranslation();
  const { search } = useLocation();
  const check = useVnpayReturn(search);
  useDocumentTitle(t('payments.returnTitle'));
  const c = check.data;

  let body;
  if (search.length <= 1) {
    body = <Result status="warning" title={t('payments.returnNoParams')} />;
  } else if (check.isPending) {
    body = <Loading />;
  } else if (!c) {
    body = <ErrorAlert error={check.error} />;
  } else {
    const paid = c.status === 'paid';
    const status = !c.signatureValid ? 'error' : paid ? 'success' : c.gatewayOutcome === 'success' ? 'info' : 'warning';
    body = (
      <Result
        status={status}
        title={
          <span role="status" data-testid="payment-outcome">
            {!c.signatureValid
              ? t('payments.returnInvalid')
              : paid
                ? t('payments.returnPaid')
                : c.gatewayOutcome === 'success'
                  ? t('payments.returnWaiting')
                  : t('payments.returnFailed')}
          </span>
        }
        subTitle={localise(c.message, i18n.language)}
        extra={
          <Space wrap>
            {c.dossierId ? (
              <LinkButton type="primary" to={`/me/dossiers/${c.dossierId}`}>
                {t('payments.backToDossier')}
              </LinkButton>
            ) : (
              <LinkButton type="primary" to="/me/dossiers">
                {t('payments.myDossiers')}
              </LinkButton>
            )}
            {c.receipt && c.paymentId ? (
              <a className="ant-btn ant-btn-default" href={receiptUrl(c.paymentId)} download>
                <DownloadOutlined aria-hidden /> {t('payments.downloadReceipt', { code: c.receipt.code })}
              </a>
            ) : null}
          </Space>
        }
      >
        {c.signatureValid && c.amountVnd !== null ? (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('payments.amount')}>{formatMoney(c.amountVnd)}</Descriptions.Item>
            {c.status ? <Descriptions.Item label={t('payments.status')}>{t(`payments.paymentStatus.${c.status}`)}</Descriptions.Item> : null}
            {c.receipt ? <Descriptions.Item label={t('payments.receipt')}>{c.receipt.code}</Descriptions.Item> : null}
          </Descriptions>
        ) : null}
      </Result>
    );
  }

  return (
    <>
      <PageTitle>{t('payments.returnTitle')}</PageTitle>
      {body}
    </>
  );
}
