import { Alert, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import type { ProcedureDetail } from '@motcua/contracts';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../api/client';
import { fieldName, useProcedure, useProcedureFields } from '../api/catalog';
import { useMe } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { LinkButton } from '../components/LinkButton';
import { Loading, PageTitle } from '../components/PageState';
import { OnlineLevelTag } from '../components/StatusTag';
import { formatBytes, formatMoney } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { NotFoundPage } from './NotFoundPage';
import { processingTimeText } from './ProceduresPage';

/** Plain text with line breaks, one paragraph per line. */
export function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return (
    <>
      {lines.map((line, i) => (
        <p key={i} className="text-line">
          {line}
        </p>
      ))}
    </>
  );
}

export function offeredOnline(p: Pick<ProcedureDetail, 'onlineLevel' | 'methods'>): boolean {
  return p.onlineLevel !== 'none' && p.methods.includes('online');
}

function Components({ p }: { p: ProcedureDetail }) {
  const { t, i18n } = useTranslation();
  if (p.components.length === 0) return <Typography.Paragraph>{t('procedure.noComponents')}</Typography.Paragraph>;
  return (
    <ol className="component-list" data-testid="procedure-components">
      {p.components.map((c) => (
        <li key={c.id} className="component-item">
          <div className="component-name">{c.name}</div>
          <div className="component-meta">
            <Tag>{t(`componentForm.${c.form}`)}</Tag>
            <span>{t('procedure.quantity', { count: c.quantity })}</span>
            {c.required ? <Tag color="#8c1d18">{t('procedure.required')}</Tag> : <Tag>{t('procedure.optional')}</Tag>}
            {c.reusable ? <Tag color="#1e6b34">{t('procedure.reusable')}</Tag> : null}
          </div>
          {c.template ? (
            <a href={c.template.url} download className="template-link">
              <DownloadOutlined aria-hidden /> {t('procedure.downloadTemplate', { name: c.template.filename })}{' '}
              <span className="muted">({formatBytes(c.template.size, i18n.language)})</span>
            </a>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function Fees({ p }: { p: ProcedureDetail }) {
  const { t } = useTranslation();
  if (p.fees.length === 0) return <Typography.Paragraph>{t('procedure.noFees')}</Typography.Paragraph>;
  return (
    <ul className="fee-list" data-testid="procedure-fees">
      {p.fees.map((f, i) => (
        <li key={i} className="fee-item">
          <div className="fee-head">
            <span>{f.name}</span>
            <strong className="fee-amount">{f.amountVnd > 0 ? formatMoney(f.amountVnd) : t('procedure.free')}</strong>
          </div>
          <div className="component-meta">
            <span>{t(`feeWhen.${f.when}`)}</span>
            {f.payableOnline ? <Tag color="#1e6b34">{t('procedure.payableOnline')}</Tag> : null}
          </div>
          {f.exemptions ? (
            <div className="muted">
              {t('procedure.exemptions')}: {f.exemptions}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function ProcedurePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const procedure = useProcedure(id);
  const fields = useProcedureFields();
  const p = procedure.data;
  useDocumentTitle(p?.name ?? t('procedure.title'));

  if (procedure.error instanceof ApiRequestError && procedure.error.status === 404) return <NotFoundPage />;
  if (procedure.isPending) return <Loading />;
  if (!p) return <ErrorAlert error={procedure.error} />;

  const field = fields.data?.items.find((f) => f.id === p.field.id);
  const receiving = p.agencies.filter((a) => a.kind === 'receiving');
  const resolving = p.agencies.filter((a) => a.kind === 'resolving');
  const online = offeredOnline(p);
  const asOfficial = me?.kind === 'official';

  const submitButton = online ? (
    <LinkButton to={`/procedures/${p.id}/submit`} type="primary" size="large" icon={<CloudUploadOutlined aria-hidden />}>
      {t('procedure.submitOnline')}
    </LinkButton>
  ) : null;

  return (
    <>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/procedures">{t('procedures.title')}</Link> <span aria-hidden>›</span> <span>{field ? fieldName(field, i18n.language) : p.field.name}</span>
      </nav>
      <PageTitle>{p.name}</PageTitle>
      <Space wrap className="procedure-tags">
        <OnlineLevelTag level={p.onlineLevel} />
        <span>
          {t('procedure.code')}: <code>{p.code}</code>
        </span>
        {!p.published ? <Tag color="#8a5300">{t('procedure.unpublished')}</Tag> : null}
      </Space>

      <Card className="procedure-summary" data-testid="procedure-summary">
        <Row gutter={[24, 16]} align="middle">
          <Col xs={24} md={16}>
            <Descriptions column={1} size="small" styles={{ label: { width: '40%' } }}>
              <Descriptions.Item label={t('procedure.processingTime')}>{processingTimeText(t, p.processingTime)}</Descriptions.Item>
              <Descriptions.Item label={t('procedure.fees')}>{p.feeTotal > 0 ? formatMoney(p.feeTotal) : t('procedure.free')}</Descriptions.Item>
              <Descriptions.Item label={t('procedure.whereToSubmit')}>
                {receiving.length > 5 ? t('procedures.manyAgencies', { count: receiving.length }) : receiving.map((a) => a.name).join('; ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('procedure.methods')}>{p.methods.map((m) => t(`method.${m}`)).join(', ')}</Descriptions.Item>
            </Descriptions>
          </Col>
          <Col xs={24} md={8} className="procedure-cta">
            {online && !asOfficial ? (
              <>
                {submitButton}
                <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
                  {me ? t('procedure.submitHint') : t('procedure.signinHint')}
                </Typography.Paragraph>
              </>
            ) : null}
            {!online ? <Alert type="info" showIcon title={t('procedure.notOnline')} /> : null}
          </Col>
        </Row>
      </Card>

      <Row gutter={[24, 24]}>
        <Col xs={24} lg={15}>
          <Card title={<h2 className="card-heading">{t('procedure.components')}</h2>} className="section-card">
            <Typography.Paragraph>{t('procedure.componentsIntro')}</Typography.Paragraph>
            <Components p={p} />
          </Card>
          <Card title={<h2 className="card-heading">{t('procedure.steps')}</h2>} className="section-card">
            <Lines text={p.steps} />
          </Card>
          <Card title={<h2 className="card-heading">{t('procedure.legalBasis')}</h2>} className="section-card">
            <Lines text={p.legalBasis} />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card title={<h2 className="card-heading">{t('procedure.feesTitle')}</h2>} className="section-card">
            <Fees p={p} />
          </Card>
          <Card title={<h2 className="card-heading">{t('procedure.details')}</h2>} className="section-card">
            <dl className="fact-list">
              <dt>{t('procedure.field')}</dt>
              <dd>{field ? fieldName(field, i18n.language) : p.field.name}</dd>
              <dt>{t('procedure.onlineLevel')}</dt>
              <dd>{t(`onlineLevel.${p.onlineLevel}`)}</dd>
              <dt>{t('procedure.receivingAgencies')}</dt>
              <dd>{receiving.length > 5 ? t('procedures.manyAgencies', { count: receiving.length }) : receiving.map((a) => a.name).join('; ')}</dd>
              <dt>{t('procedure.resolvingAgencies')}</dt>
              <dd>{resolving.length > 5 ? t('procedures.manyAgencies', { count: resolving.length }) : resolving.map((a) => a.name).join('; ')}</dd>
              <dt>{t('procedure.levels')}</dt>
              <dd>{p.levels.map((l) => t(`procedureLevel.${l}`)).join(', ')}</dd>
              <dt>{t('procedure.applicants')}</dt>
              <dd>{p.applicants.map((a) => t(`applicant.${a}`)).join(', ')}</dd>
              <dt>{t('procedure.results')}</dt>
              <dd>
                <ul className="plain-list compact">
                  {p.resultDocuments.map((r, i) => (
                    <li key={i}>
                      {r.name}{' '}
                      <span className="muted">
                        ({[r.paper ? t('procedure.paper') : null, r.electronic ? t('procedure.electronic') : null].filter(Boolean).join(', ')})
                      </span>
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
          </Card>
          {online && !asOfficial ? <div className="procedure-cta-bottom">{submitButton}</div> : null}
        </Col>
      </Row>
      {asOfficial ? null : (
        <Typography.Paragraph className="muted-note">
          <Link to="/lookup">{t('procedure.lookupLink')}</Link>
        </Typography.Paragraph>
      )}
    </>
  );
}
