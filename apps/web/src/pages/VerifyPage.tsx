import { useState, type FormEvent } from 'react';
import { Alert, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { IssuedDocument, SignatureCheck, VerificationReport } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiRequestError, upload } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageState';
import { formatBytes, formatDateTime } from '../lib/format';
import { localise } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';

const SUMMARY_TYPE: Record<VerificationReport['summary'], 'success' | 'warning' | 'error' | 'info'> = {
  valid: 'success',
  untrusted: 'warning',
  altered: 'error',
  unsigned: 'info',
};

function YesNo({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return ok ? (
    <Tag color="#1e6b34" icon={<CheckCircleOutlined aria-hidden />}>
      {yes}
    </Tag>
  ) : (
    <Tag color="#8c1d18" icon={<CloseCircleOutlined aria-hidden />}>
      {no}
    </Tag>
  );
}

function IssuedDocumentCard({ doc, title }: { doc: IssuedDocument; title: string }) {
  const { t } = useTranslation();
  return (
    <Card
      className="section-card"
      data-testid="issued-document"
      title={
        <h2 className="card-heading">
          <SafetyCertificateOutlined aria-hidden /> {title}
        </h2>
      }
    >
      <Descriptions column={1} size="small" bordered styles={{ label: { width: '35%' } }}>
        <Descriptions.Item label={t('verify.docKind')}>{t(`verify.kinds.${doc.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('verify.agency')}>
          {doc.agency.name} ({doc.agency.code})
        </Descriptions.Item>
        {doc.dossierCode ? <Descriptions.Item label={t('verify.dossierCode')}>{doc.dossierCode}</Descriptions.Item> : null}
        {doc.reference ? <Descriptions.Item label={t('verify.reference')}>{doc.reference}</Descriptions.Item> : null}
        <Descriptions.Item label={t('verify.signedAt')}>{formatDateTime(doc.signedAt)}</Descriptions.Item>
        {doc.signerName ? <Descriptions.Item label={t('verify.signerName')}>{doc.signerName}</Descriptions.Item> : null}
        <Descriptions.Item label={t('verify.certificate')}>
          {doc.certificate.subject}
          <div className="muted">
            {t('verify.serial')}: {doc.certificate.serialNumber}
          </div>
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.sha256')}>
          <code style={{ wordBreak: 'break-all' }}>{doc.sha256}</code>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function SignatureCard({ s, n }: { s: SignatureCheck; n: number }) {
  const { t, i18n } = useTranslation();
  const color = s.status === 'valid' ? '#1e6b34' : s.status === 'untrusted' ? '#8a5300' : '#8c1d18';
  return (
    <Card
      className="section-card"
      data-testid="signature"
      title={
        <h3 className="card-heading">
          {t('verify.signatureN', { n })}{' '}
          <Tag color={color} data-testid="signature-status">
            {t(`verify.status.${s.status}`)}
          </Tag>
        </h3>
      }
    >
      <Typography.Paragraph>{t(`verify.statusExplained.${s.status}`)}</Typography.Paragraph>
      <Descriptions column={1} size="small" bordered styles={{ label: { width: '35%' } }}>
        <Descriptions.Item label={t('verify.signer')}>
          {s.signer ? (
            <>
              <strong>{s.signer.commonName ?? s.signer.subject}</strong>
              {s.signer.organization ? <div>{s.signer.organization}</div> : null}
              <div className="muted">
                {t('verify.issuer')}: {s.signer.issuer}
              </div>
              <div className="muted">
                {t('verify.validity', { from: formatDateTime(s.signer.notBefore), to: formatDateTime(s.signer.notAfter) })}
              </div>
            </>
          ) : (
            t('verify.signerUnknown')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.signedAt')}>{s.signedAt ? formatDateTime(s.signedAt) : t('verify.noTime')}</Descriptions.Item>
        {s.reason ? <Descriptions.Item label={t('verify.reason')}>{s.reason}</Descriptions.Item> : null}
        {s.location ? <Descriptions.Item label={t('verify.location')}>{s.location}</Descriptions.Item> : null}
        <Descriptions.Item label={t('verify.integrity')}>
          <YesNo ok={s.intact} yes={t('verify.intact')} no={t('verify.altered')} />
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.trust')}>
          <YesNo ok={s.trusted} yes={t('verify.trusted')} no={t('verify.untrusted')} />
          {s.trustAnchor ? <div className="muted">{t('verify.anchor', { name: s.trustAnchor })}</div> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('verify.certAtSigning')}>
          <YesNo ok={s.certificateValidAtSigningTime} yes={t('verify.certValid')} no={t('verify.certNotValid')} />
        </Descriptions.Item>
      </Descriptions>
      {s.problems.length > 0 ? (
        <>
          <h4 className="sub-heading">{t('verify.problems')}</h4>
          <ul>
            {s.problems.map((p) => (
              <li key={p.code}>{localise(p.message, i18n.language)}</li>
            ))}
          </ul>
        </>
      ) : null}
      <Typography.Paragraph className="muted" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('verify.revocationNote')}
      </Typography.Paragraph>
    </Card>
  );
}

function Report({ report, expected }: { report: VerificationReport; expected: IssuedDocument | null }) {
  const { t, i18n } = useTranslation();
  const matchesQr = expected ? expected.sha256 === report.sha256 : null;
  return (
    <section aria-labelledby="verify-result-heading" data-testid="verify-report">
      <h2 id="verify-result-heading" className="section-heading">
        {t('verify.resultTitle')}
      </h2>
      <Alert
        type={SUMMARY_TYPE[report.summary]}
        showIcon
        role="status"
        data-testid="verify-summary"
        title={t(`verify.summary.${report.summary}`)}
        description={t(`verify.summaryExplained.${report.summary}`)}
        style={{ marginBottom: 16 }}
      />
      {matchesQr !== null ? (
        <Alert
          type={matchesQr ? 'success' : 'error'}
          showIcon
          title={matchesQr ? t('verify.qrMatch') : t('verify.qrMismatch')}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {report.issuedByThisSystem ? (
        <IssuedDocumentCard doc={report.issuedByThisSystem} title={t('verify.issuedByUs')} />
      ) : report.summary !== 'unsigned' ? (
        <Typography.Paragraph data-testid="not-issued-here">{t('verify.notIssuedByUs')}</Typography.Paragraph>
      ) : null}
      {report.signatures.map((s, i) => (
        <SignatureCard key={s.index} s={s} n={i + 1} />
      ))}
      <Typography.Paragraph className="muted">
        {t('verify.fileFacts', { size: formatBytes(report.size, i18n.language), date: formatDateTime(report.checkedAt) })}{' '}
        <span style={{ wordBreak: 'break-all' }}>SHA-256: {report.sha256}</span>
      </Typography.Paragraph>
    </section>
  );
}

/**
 * Public check of the digital signatures of a PDF (any PDF; the results this system issues carry
 * a QR code that opens /verify?doc=<id>).
 */
export function VerifyPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('verify.title'));
  const [params] = useSearchParams();
  const docId = params.get('doc');
  const [file, setFile] = useState<File | null>(null);

  const doc = useQuery({
    queryKey: ['signatures', 'document', docId],
    queryFn: () => api.get<IssuedDocument>(`/signatures/documents/${encodeURIComponent(docId ?? '')}`),
    enabled: !!docId,
  });
  const verify = useMutation({
    mutationFn: (f: File) => upload<VerificationReport>('POST', '/signatures/verify', {}, f),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (file) verify.mutate(file);
  };

  return (
    <>
      <PageTitle>{t('verify.title')}</PageTitle>
      <Typography.Paragraph className="lead">{t('verify.intro')}</Typography.Paragraph>

      {docId ? (
        doc.data ? (
          <>
            <Alert type="success" showIcon title={t('verify.qrFound')} description={t('verify.qrFoundHelp')} style={{ marginBottom: 16 }} />
            <IssuedDocumentCard doc={doc.data} title={t('verify.qrDocument')} />
          </>
        ) : doc.error instanceof ApiRequestError && doc.error.status === 404 ? (
          <Alert type="error" showIcon role="alert" title={t('verify.qrNotFound')} style={{ marginBottom: 16 }} />
        ) : (
          <ErrorAlert error={doc.error} />
        )
      ) : null}

      <Card className="section-card" title={<h2 className="card-heading">{t('verify.uploadTitle')}</h2>}>
        <form onSubmit={onSubmit}>
          <label htmlFor="verify-file" className="field-label">
            {t('verify.fileLabel')}
          </label>
          <input
            id="verify-file"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby="verify-file-help"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              verify.reset();
            }}
          />
          <div id="verify-file-help" className="muted" style={{ margin: '4px 0 12px' }}>
            {t('verify.fileHelp')}
          </div>
          <Space>
            <Button type="primary" htmlType="submit" disabled={!file} loading={verify.isPending}>
              {t('verify.submit')}
            </Button>
          </Space>
        </form>
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={verify.error} />
        </div>
      </Card>

      {verify.data ? <Report report={verify.data} expected={doc.data ?? null} /> : null}

      <Alert type="info" showIcon icon={<WarningOutlined aria-hidden />} title={t('verify.privacy')} style={{ marginTop: 16 }} />
    </>
  );
}
