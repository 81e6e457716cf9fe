import { Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { TrustAnchorInfo } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { useTrustAnchors } from '../../../api/signing';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { formatDate } from '../../../lib/format';

/** The roots signatures are checked against: a certificate that does not chain to one shows as untrusted. */
export function TrustAnchors() {
  const { t } = useTranslation();
  const anchors = useTrustAnchors();
  const columns: TableColumnsType<TrustAnchorInfo> = [
    {
      title: t('certificates.anchors.name'),
      key: 'name',
      render: (_, a) => (
        <>
          <strong>{a.name}</strong>
          <div className="muted">{a.subject}</div>
        </>
      ),
    },
    {
      title: t('certificates.anchors.source'),
      key: 'source',
      width: 200,
      render: (_, a) => <Tag color={a.source === 'demo' ? '#8a5300' : '#1e5b2e'}>{t(`certificates.anchors.sources.${a.source}`)}</Tag>,
    },
    { title: t('certificates.anchors.validTo'), key: 'notAfter', width: 130, render: (_, a) => formatDate(a.notAfter) },
    {
      title: t('certificates.anchors.fingerprint'),
      key: 'sha256',
      width: 260,
      render: (_, a) => <code style={{ wordBreak: 'break-all' }}>{a.sha256}</code>,
    },
  ];
  return (
    <Card
      className="section-card"
      data-testid="trust-anchors"
      title={
        <h2 className="card-heading">
          <SafetyCertificateOutlined aria-hidden /> {t('certificates.anchors.title')}
        </h2>
      }
    >
      <Typography.Paragraph>{t('certificates.anchors.intro')}</Typography.Paragraph>
      <ErrorAlert error={anchors.error} />
      <ScrollRegion label={t('certificates.anchors.title')} minWidth={760}>
        <Table<TrustAnchorInfo>
          rowKey="sha256"
          size="small"
          columns={columns}
          dataSource={anchors.data?.items ?? []}
          loading={anchors.isPending}
          pagination={false}
          locale={{ emptyText: t('certificates.anchors.empty') }}
        />
      </ScrollRegion>
    </Card>
  );
}
