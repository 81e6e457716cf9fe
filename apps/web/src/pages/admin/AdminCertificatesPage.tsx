import { useState } from 'react';
import { Alert, App, Button, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CertificateWarning, SigningCertificate } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  CERTIFICATE_WARNINGS_KEY,
  CERTIFICATES_KEY,
  retireCertificate,
  useCertificates,
  useCertificateWarnings,
  type CertificateStatusFilter,
} from '../../api/signing';
import { useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDate, formatDateTimeShort } from '../../lib/format';
import { listParams } from '../../lib/list-params';
import { localise } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { TrustAnchors } from './certificates/TrustAnchors';
import { UploadCertificateModal } from './certificates/UploadCertificateModal';

const PAGE_SIZE = 25;
const STATUS_FILTERS: CertificateStatusFilter[] = ['all', 'active', 'retired'];

/** What a certificate's row says about it: in use, in use but expired, or retired. */
type ShownStatus = 'active' | 'expired' | 'retired';
const shownStatus = (c: SigningCertificate): ShownStatus => (c.status === 'retired' ? 'retired' : c.expired ? 'expired' : 'active');
const STATUS_COLOR: Record<ShownStatus, string> = { active: '#1e5b2e', expired: '#8c1d18', retired: '#595959' };

/** The agency an administrator manages (the first grant), for the upload form's default. */
function useOwnAgencyId(): string | null {
  const { data: me } = useMe();
  return me?.roles.find((r) => r.role === 'agency_admin' || r.role === 'province_admin')?.agencyId ?? null;
}

function Warnings({ items, onUpload }: { items: CertificateWarning[]; onUpload: (agencyId: string) => void }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return null;
  const urgent = items.some((w) => w.kind === 'missing' || w.kind === 'expired');
  return (
    <section aria-labelledby="certificate-warnings-heading" data-testid="certificate-warnings">
      <Alert
        type={urgent ? 'error' : 'warning'}
        showIcon
        style={{ marginBottom: 24 }}
        title={
          <h2 id="certificate-warnings-heading" className="card-heading">
            {t('certificates.warnings.title', { count: items.length })}
          </h2>
        }
        description={
          <ul className="plain-list certificate-warning-list">
            {items.map((w) => (
              <li key={`${w.kind}-${w.agency.id}-${w.certificateId ?? ''}`} data-testid={`certificate-warning-${w.kind}`} style={{ marginTop: 8 }}>
                <Tag color={w.kind === 'expiring' || w.kind === 'not_yet_valid' ? '#8a5300' : '#8c1d18'}>{t(`certificates.warnings.kind.${w.kind}`)}</Tag>{' '}
                {localise(w.message, i18n.language)}{' '}
                {w.kind !== 'not_yet_valid' ? (
                  <Button
                    size="small"
                    type="link"
                    icon={<UploadOutlined aria-hidden />}
                    onClick={() => onUpload(w.agency.id)}
                    aria-label={t('certificates.warnings.uploadFor', { agency: w.agency.name })}
                  >
                    {t('certificates.warnings.upload')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        }
      />
    </section>
  );
}

/**
 * The agency certificates that sign results, receipt slips and e-receipts: each one's subject,
 * issuer, serial, validity and status, the warnings 30 days before expiry, upload of a PKCS#12
 * (.p12/.pfx), retirement, and the trust anchors signatures are checked against. Agency admins
 * see their agency's subtree, province admins every agency. No private key ever reaches the page.
 */
export function AdminCertificatesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const agencyId = params.get('agencyId') ?? '';
  const statusParam = params.get('status') as CertificateStatusFilter | null;
  const status: CertificateStatusFilter = statusParam && STATUS_FILTERS.includes(statusParam) ? statusParam : 'all';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const ownAgencyId = useOwnAgencyId();
  const [uploadFor, setUploadFor] = useState<{ agencyId: string | null } | null>(null);
  useDocumentTitle(t('certificates.title'));

  const certificates = useCertificates({ agencyId: agencyId || undefined, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const warnings = useCertificateWarnings();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: CERTIFICATES_KEY });
    void queryClient.invalidateQueries({ queryKey: CERTIFICATE_WARNINGS_KEY });
  };
  const retire = useMutation({
    mutationFn: (c: SigningCertificate) => retireCertificate(c.id),
    onSuccess: (c) => {
      refresh();
      void message.success(t('certificates.retire.done', { agency: c.agency.name }));
    },
  });

  const update = (next: { agencyId?: string; status?: string; page?: number }) =>
    setParams(listParams({ agencyId, status: status === 'all' ? '' : status }, next));

  const confirmRetire = (c: SigningCertificate) =>
    modal.confirm({
      title: t('certificates.retire.confirmTitle', { agency: c.agency.name }),
      content: t('certificates.retire.confirmBody', { serial: c.serialNumber }),
      okText: t('certificates.retire.ok'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => retire.mutateAsync(c).catch(() => undefined),
    });

  const columns: TableColumnsType<SigningCertificate> = [
    {
      title: t('certificates.columns.agency'),
      key: 'agency',
      width: 170,
      render: (_, c) => (
        <>
          <div>{c.agency.name}</div>
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {c.agency.code}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('certificates.columns.certificate'),
      key: 'subject',
      render: (_, c) => (
        <>
          <strong>{c.subjectCommonName ?? c.subject}</strong>
          {c.source === 'demo' ? <Tag style={{ marginInlineStart: 8 }}>{t('certificates.source.demo')}</Tag> : null}
          <div className="muted" style={{ overflowWrap: 'anywhere' }}>
            {c.subject}
          </div>
          <div className="muted">
            {t('certificates.serial')}: <code data-testid="certificate-serial">{c.serialNumber}</code>
          </div>
        </>
      ),
    },
    {
      title: t('certificates.columns.issuer'),
      key: 'issuer',
      width: 180,
      render: (_, c) => (
        <>
          <div style={{ overflowWrap: 'anywhere' }}>{c.issuerCommonName ?? c.issuer}</div>
          {c.chainTrusted ? (
            <Tag color="#1e5b2e">{t('certificates.trusted')}</Tag>
          ) : (
            <Tag color="#8c1d18">{t('certificates.untrusted')}</Tag>
          )}
        </>
      ),
    },
    {
      title: t('certificates.columns.validity'),
      key: 'validity',
      width: 160,
      render: (_, c) => (
        <div data-testid="certificate-validity">
          <div>{t('certificates.validFrom', { date: formatDate(c.notBefore) })}</div>
          <div>{t('certificates.validTo', { date: formatDate(c.notAfter) })}</div>
          {c.status === 'active' && !c.expired ? (
            <Typography.Text type={c.expiringSoon ? 'warning' : 'secondary'} strong={c.expiringSoon}>
              {c.expiringSoon ? t('certificates.expiringSoon', { count: c.daysLeft }) : t('certificates.daysLeft', { count: c.daysLeft })}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      title: t('certificates.columns.status'),
      key: 'status',
      width: 210,
      render: (_, c) => {
        const s = shownStatus(c);
        return (
          <>
            <Tag color={STATUS_COLOR[s]} data-testid="certificate-status">
              {t(`certificates.status.${s}`)}
            </Tag>
            {c.retiredAt ? <div className="muted">{t('certificates.retiredAt', { date: formatDate(c.retiredAt) })}</div> : null}
            <div className="muted">
              {c.createdByName
                ? t('certificates.addedBy', { date: formatDateTimeShort(c.createdAt), name: c.createdByName })
                : t('certificates.addedBySystem', { date: formatDateTimeShort(c.createdAt) })}
            </div>
            {c.status === 'active' ? (
              <Button
                size="small"
                danger
                icon={<StopOutlined aria-hidden />}
                onClick={() => confirmRetire(c)}
                aria-label={t('certificates.retire.aria', { serial: c.serialNumber, agency: c.agency.name })}
                style={{ marginTop: 8 }}
              >
                {t('certificates.retire.button')}
              </Button>
            ) : null}
          </>
        );
      },
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<UploadOutlined aria-hidden />} onClick={() => setUploadFor({ agencyId: agencyId || ownAgencyId })}>
            {t('certificates.uploadButton')}
          </Button>
        }
      >
        {t('certificates.title')}
      </PageTitle>
      <Typography.Paragraph>{t('certificates.intro')}</Typography.Paragraph>
      <Typography.Paragraph className="muted">
        <SafetyCertificateOutlined aria-hidden /> {t('certificates.keyNote')}
      </Typography.Paragraph>

      <ErrorAlert error={warnings.error} />
      <Warnings items={warnings.data?.items ?? []} onUpload={(id) => setUploadFor({ agencyId: id })} />

      <section aria-labelledby="certificate-list-heading">
        <Typography.Title level={2} id="certificate-list-heading" style={{ fontSize: 20 }}>
          {t('certificates.listTitle')}
        </Typography.Title>
        <div className="toolbar">
          <div className="inline-field" style={{ minWidth: 260, flex: '1 1 260px' }}>
            <span id="certificate-agency-filter">{t('certificates.filters.agency')}</span>
            <AgencySelect aria-labelledby="certificate-agency-filter" value={agencyId || null} onChange={(v) => update({ agencyId: v ?? '' })} />
          </div>
          <div className="inline-field" style={{ minWidth: 200 }}>
            <span id="certificate-status-filter">{t('certificates.filters.status')}</span>
            <Select<CertificateStatusFilter>
              aria-labelledby="certificate-status-filter"
              value={status}
              onChange={(v) => update({ status: v === 'all' ? '' : v })}
              options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`certificates.filters.statuses.${s}`) }))}
              style={{ width: '100%' }}
            />
          </div>
        </div>
        <ErrorAlert error={certificates.error ?? retire.error} />
        <ScrollRegion label={t('certificates.listTitle')} minWidth={980}>
          <Table<SigningCertificate>
            rowKey="id"
            columns={columns}
            dataSource={certificates.data?.items ?? []}
            loading={certificates.isFetching}
            data-testid="certificates-table"
            locale={{ emptyText: t('certificates.empty') }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: certificates.data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              onChange: (p) => update({ page: p }),
            }}
          />
        </ScrollRegion>
      </section>

      <div style={{ marginTop: 24 }}>
        <TrustAnchors />
      </div>

      {uploadFor ? (
        <UploadCertificateModal
          defaultAgencyId={uploadFor.agencyId}
          onClose={() => setUploadFor(null)}
          onUploaded={(c) => {
            setUploadFor(null);
            refresh();
            void message.success(t('certificates.upload.done', { agency: c.agency.name }));
          }}
        />
      ) : null}
    </>
  );
}
