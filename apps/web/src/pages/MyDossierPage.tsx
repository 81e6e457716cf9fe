import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Modal, Radio, Row, Space, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, FileDoneOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DossierDetail, DossierFile } from '@motcua/contracts';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useProcedure } from '../api/catalog';
import { api, ApiRequestError } from '../api/client';
import { dossierKey, fileUrl, filesOfKind, latestSupplementRequest, MY_DOSSIERS_KEY, useDossier } from '../api/dossiers';
import { DossierDocuments } from '../components/DossierDocuments';
import { DossierPayments } from '../components/DossierPayments';
import { DossierShipments } from '../components/DossierShipments';
import { DossierTimeline } from '../components/DossierTimeline';
import { ErrorAlert, errorText } from '../components/ErrorAlert';
import { FileUpload } from '../components/FileUpload';
import { LinkButton } from '../components/LinkButton';
import { formAnswers } from '../components/OnlineForm';
import { Loading, PageTitle } from '../components/PageState';
import { DossierStatusTag } from '../components/StatusTag';
import { formatBytes, formatDateTimeShort } from '../lib/format';
import type { Schema } from '../lib/json-schema';
import { useDocumentTitle } from '../lib/use-document-title';
import { NotFoundPage } from './NotFoundPage';

type CitizenAction = 'supplement' | 'withdraw' | 'rate';

function useCitizenAction(d: DossierDetail, type: CitizenAction) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { comment?: string; score?: string }) =>
      api.post<DossierDetail>(`/dossiers/${d.id}/${type}`, { ...body, expectedSeq: d.lastSeq }),
    onSuccess: (updated) => {
      queryClient.setQueryData(dossierKey(d.id), updated);
      void queryClient.invalidateQueries({ queryKey: MY_DOSSIERS_KEY });
    },
  });
}

export function FileLinks({ dossierId, files, emptyText }: { dossierId: string; files: DossierFile[]; emptyText?: string }) {
  const { t, i18n } = useTranslation();
  if (files.length === 0) return emptyText ? <Typography.Paragraph>{emptyText}</Typography.Paragraph> : null;
  return (
    <ul className="file-links">
      {files.map((f) => (
        <li key={f.id}>
          <a href={fileUrl(dossierId, f.id)} download={f.filename} aria-label={t('dossier.downloadFile', { name: f.filename })}>
            <DownloadOutlined aria-hidden /> {f.filename}
          </a>{' '}
          <span className="muted">
            ({formatBytes(f.size, i18n.language)}
            {f.componentName ? ` — ${f.componentName}` : ''})
          </span>
        </li>
      ))}
    </ul>
  );
}

function SupplementPanel({ d }: { d: DossierDetail }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const procedure = useProcedure(d.procedure.id);
  const request = latestSupplementRequest(d);
  const [comment, setComment] = useState('');
  const send = useCitizenAction(d, 'supplement');
  const since = request?.at ?? d.submittedAt ?? '';
  const added = d.files.filter((f) => f.kind === 'supplement' && f.createdAt >= since);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: dossierKey(d.id) });
  const remove = async (f: DossierFile) => {
    try {
      await api.delete<void>(`/dossiers/${d.id}/files/${f.id}`);
      refresh();
    } catch (err) {
      void message.error(errorText(err, i18n.language, t));
    }
  };

  return (
    <Card className="attention-card" title={<h2 className="card-heading">{t('myDossier.supplementTitle')}</h2>} data-testid="supplement-panel">
      <Alert
        type="warning"
        showIcon
        title={t('myDossier.supplementAsked', { date: formatDateTimeShort(request?.at) })}
        description={
          <>
            {request?.reasons.length ? (
              <ul className="plain-list" data-testid="supplement-reasons">
                {request.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            ) : null}
            {request?.comment && !request.reasons.includes(request.comment) ? <p>{request.comment}</p> : null}
            {request?.actorName ? <p className="muted">{t('myDossier.contactOfficer', { name: request.actorName })}</p> : null}
          </>
        }
        style={{ marginBottom: 16 }}
      />
      <Typography.Paragraph>{t('myDossier.supplementHow')}</Typography.Paragraph>
      <ol className="paper-list">
        {(procedure.data?.components ?? []).map((c, i) => (
          <li key={c.id} className="paper-item">
            <h3 className="paper-name">{c.name}</h3>
            <FileUpload dossierId={d.id} componentId={c.id} label={t('submit.uploadFor', { name: c.name })} testId={`supplement-upload-${i}`} onUploaded={refresh} />
          </li>
        ))}
        <li className="paper-item">
          <h3 className="paper-name">{t('myDossier.otherPaper')}</h3>
          <FileUpload dossierId={d.id} label={t('submit.uploadFor', { name: t('myDossier.otherPaper') })} testId="supplement-upload-other" onUploaded={refresh} />
        </li>
      </ol>
      {added.length ? (
        <>
          <h3 className="sub-heading">{t('myDossier.supplementFiles')}</h3>
          <ul className="uploaded-list" data-testid="supplement-files">
            {added.map((f) => (
              <li key={f.id}>
                {f.filename} <span className="muted">({f.componentName ?? t('myDossier.otherPaper')})</span>{' '}
                <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('submit.removeFile', { name: f.filename })} onClick={() => void remove(f)} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Form layout="vertical" onFinish={() => send.mutate({ comment: comment.trim() || undefined })}>
        <Form.Item label={t('myDossier.supplementComment')} htmlFor="supplement-comment">
          <Input.TextArea id="supplement-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Form.Item>
        <ErrorAlert error={send.error} />
        <Button type="primary" htmlType="submit" loading={send.isPending} disabled={added.length === 0 && !comment.trim()}>
          {t('myDossier.sendSupplement')}
        </Button>
        {added.length === 0 ? <Typography.Paragraph className="muted">{t('myDossier.supplementNeedsFile')}</Typography.Paragraph> : null}
      </Form>
    </Card>
  );
}

function RatingPanel({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const rate = useCitizenAction(d, 'rate');
  if (d.rating) {
    return (
      <Card title={<h2 className="card-heading">{t('myDossier.ratingTitle')}</h2>} data-testid="rating-done">
        <Typography.Paragraph>
          {t('myDossier.ratedAs')} <strong>{t(`rating.${d.rating.score}`)}</strong>
        </Typography.Paragraph>
        {d.rating.comment ? <Typography.Paragraph>“{d.rating.comment}”</Typography.Paragraph> : null}
        <Typography.Paragraph>{t('myDossier.thanks')}</Typography.Paragraph>
      </Card>
    );
  }
  return (
    <Card title={<h2 className="card-heading">{t('myDossier.ratingTitle')}</h2>} data-testid="rating-panel">
      <Form layout="vertical" onFinish={() => score && rate.mutate({ score, comment: comment.trim() || undefined })}>
        <fieldset className="plain-fieldset">
          <legend>{t('myDossier.ratingQuestion')}</legend>
          <Radio.Group value={score} onChange={(e) => setScore(e.target.value as string)} className="rating-options">
            {(['satisfied', 'neutral', 'dissatisfied'] as const).map((s) => (
              <Radio.Button key={s} value={s}>
                {t(`rating.${s}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </fieldset>
        <Form.Item label={t('myDossier.ratingComment')} htmlFor="rating-comment" style={{ marginTop: 16 }}>
          <Input.TextArea id="rating-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Form.Item>
        <ErrorAlert error={rate.error} />
        <Button type="primary" htmlType="submit" disabled={!score} loading={rate.isPending}>
          {t('myDossier.sendRating')}
        </Button>
      </Form>
    </Card>
  );
}

/**
 * Deletes an online draft after a confirmation (`DELETE /api/v1/dossiers/{id}`); `onDeleted` runs
 * once the server has removed it.
 */
export function DeleteDraftButton({ dossierId, procedureName, onDeleted }: { dossierId: string; procedureName: string; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.delete<void>(`/dossiers/${encodeURIComponent(dossierId)}`),
    onSuccess: () => {
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: MY_DOSSIERS_KEY });
      void message.success(t('myDossier.deleteDraftDone'));
      onDeleted?.();
    },
  });
  return (
    <>
      <Button danger icon={<DeleteOutlined aria-hidden />} onClick={() => setOpen(true)} aria-label={t('myDossier.deleteDraftFor', { name: procedureName })} data-testid="delete-draft">
        {t('myDossier.deleteDraft')}
      </Button>
      <Modal
        open={open}
        title={t('myDossier.deleteDraftTitle')}
        onCancel={() => setOpen(false)}
        okText={t('myDossier.deleteDraftConfirm')}
        okButtonProps={{ danger: true, loading: remove.isPending }}
        cancelText={t('common.cancel')}
        onOk={() => remove.mutate()}
      >
        <Typography.Paragraph>{t('myDossier.deleteDraftText', { name: procedureName })}</Typography.Paragraph>
        <ErrorAlert error={remove.error} />
      </Modal>
    </>
  );
}

function WithdrawButton({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const withdraw = useCitizenAction(d, 'withdraw');
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        {t('myDossier.withdraw')}
      </Button>
      <Modal
        open={open}
        title={t('myDossier.withdrawTitle')}
        onCancel={() => setOpen(false)}
        okText={t('myDossier.withdrawConfirm')}
        okButtonProps={{ danger: true, loading: withdraw.isPending }}
        cancelText={t('common.cancel')}
        onOk={() => withdraw.mutate({ comment: reason.trim() || undefined }, { onSuccess: () => setOpen(false) })}
      >
        <Typography.Paragraph>{t('myDossier.withdrawText')}</Typography.Paragraph>
        <label htmlFor="withdraw-reason" className="field-label">
          {t('myDossier.withdrawReason')}
        </label>
        <Input.TextArea id="withdraw-reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
        <ErrorAlert error={withdraw.error} />
      </Modal>
    </>
  );
}

export function MyDossierPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const dossier = useDossier(id);
  const d = dossier.data;
  const procedure = useProcedure(d?.procedure.id);
  useDocumentTitle(d ? `${d.procedure.name}${d.code ? ` (${d.code})` : ''}` : t('myDossier.title'));

  if (dossier.error instanceof ApiRequestError && dossier.error.status === 404) return <NotFoundPage />;
  if (dossier.isPending) return <Loading />;
  if (!d) return <ErrorAlert error={dossier.error} />;

  const agencyLabel = (a: DossierDetail['receivingAgency']) => (i18n.language === 'en' && a.nameEn ? a.nameEn : a.name);
  const papers = filesOfKind(d, 'component', 'supplement');
  const results = filesOfKind(d, 'result');
  const resultReady = d.status === 'result_ready' || d.status === 'returned';
  const needsSupplement = d.status === 'waiting_supplement' || d.status === 'awaiting_supplement_before_reception';
  const answers = formAnswers(procedure.data?.onlineForm?.schema as Schema | undefined, d.formData as Record<string, unknown>);
  const canWithdraw = d.allowedActions.includes('withdraw');

  return (
    <>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/me/dossiers">{t('myDossiers.title')}</Link> <span aria-hidden>›</span> <span>{d.code ?? t('dossier.noCode')}</span>
      </nav>
      <PageTitle extra={canWithdraw ? <WithdrawButton d={d} /> : null}>{d.procedure.name}</PageTitle>
      <Space wrap className="procedure-tags">
        <DossierStatusTag status={d.status} />
        <span>
          {t('dossier.code')}: {d.code ? <code data-testid="dossier-code">{d.code}</code> : <span className="muted">{t('dossier.noCodeYet')}</span>}
        </span>
      </Space>
      <Typography.Paragraph className="status-explained" data-testid="status-explained">
        {t(`myDossier.explain.${d.status}`)}
      </Typography.Paragraph>
      {d.status !== 'draft' ? <Typography.Paragraph><Link to={`/me/feedback/new?dossier=${d.id}`} data-testid="dossier-feedback-link">{t('feedback.dossierLink')}</Link></Typography.Paragraph> : null}

      {d.status === 'draft' ? (
        <Alert
          type="info"
          showIcon
          title={t('myDossier.draft')}
          action={
            <Space wrap>
              <LinkButton type="primary" to={`/procedures/${d.procedure.id}/submit?dossier=${d.id}`}>{t('myDossier.continue')}</LinkButton>
              {d.channel === 'online' ? (
                <DeleteDraftButton dossierId={d.id} procedureName={d.procedure.name} onDeleted={() => void navigate('/me/dossiers', { replace: true })} />
              ) : null}
            </Space>
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}

      {d.dueAt && !['returned', 'refused', 'stopped', 'withdrawn'].includes(d.status) ? (
        <Card className="appointment-card" data-testid="appointment">
          <div className="appointment-label">{t('myDossier.appointment')}</div>
          <div className="appointment-date">{formatDateTimeShort(d.dueAt)}</div>
          {d.pausedSince ? <div className="muted">{t('myDossier.paused', { date: formatDateTimeShort(d.pausedSince) })}</div> : null}
          <div className="muted">
            {t('myDossier.collectAt', { method: t(`delivery.${d.delivery.method}`), agency: agencyLabel(d.receivingAgency) })}
          </div>
        </Card>
      ) : null}

      {needsSupplement ? <SupplementPanel d={d} /> : null}

      {resultReady ? (
        <Card className="attention-card" title={<h2 className="card-heading"><FileDoneOutlined aria-hidden /> {t('myDossier.resultTitle')}</h2>} data-testid="result-panel">
          <Typography.Paragraph>{d.status === 'returned' ? t('myDossier.resultReturned', { date: formatDateTimeShort(d.returnedAt) }) : t('myDossier.resultReady')}</Typography.Paragraph>
          <FileLinks dossierId={d.id} files={results} emptyText={t('myDossier.resultPaperOnly')} />
        </Card>
      ) : null}

      <DossierShipments d={d} />

      {d.status === 'returned' ? <RatingPanel d={d} /> : null}

      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('myDossier.details')}</h2>} className="section-card">
            <Descriptions column={1} size="small" styles={{ label: { width: '45%' } }}>
              <Descriptions.Item label={t('dossier.receivingAgency')}>{agencyLabel(d.receivingAgency)}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.channel')}>{t(`channel.${d.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.submittedAt')}>{d.submittedAt ? formatDateTimeShort(d.submittedAt) : t('dossier.notSubmitted')}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.receivedAt')}>{d.receivedAt ? formatDateTimeShort(d.receivedAt) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.dueAt')}>{d.dueAt ? formatDateTimeShort(d.dueAt) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.delivery')}>
                {t(`delivery.${d.delivery.method}`)}
                {d.delivery.address ? `: ${d.delivery.address}` : ''}
              </Descriptions.Item>
              {d.finishedAt ? <Descriptions.Item label={t('dossier.finishedAt')}>{formatDateTimeShort(d.finishedAt)}</Descriptions.Item> : null}
            </Descriptions>
            <DossierDocuments d={d} />
          </Card>
          <Card title={<h2 className="card-heading">{t('myDossier.papers')}</h2>} className="section-card">
            <FileLinks dossierId={d.id} files={papers} emptyText={t('myDossier.noPapers')} />
          </Card>
          {answers.length ? (
            <Card title={<h2 className="card-heading">{t('submit.stepForm')}</h2>} className="section-card">
              <Descriptions column={1} size="small" bordered styles={{ label: { width: '40%' } }}>
                {answers.map((a) => (
                  <Descriptions.Item key={a.key} label={a.label}>
                    {a.value}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
          ) : null}
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('dossier.timeline')}</h2>} className="section-card">
            <DossierTimeline dossier={d} />
          </Card>
        </Col>
      </Row>
      <DossierPayments dossierId={d.id} />
    </>
  );
}
