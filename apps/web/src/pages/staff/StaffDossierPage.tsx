import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionBody, AssignableOfficialList, DossierActionType, DossierDetail, Me } from '@motcua/contracts';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { agencyName, useAgency } from '../../api/agencies';
import { useProcedure } from '../../api/catalog';
import { api, ApiRequestError } from '../../api/client';
import { dossierKey, filesOfKind, useDossier } from '../../api/dossiers';
import { useResultPreviewAvailable } from '../../api/results';
import { hasRole, useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { DossierDocuments } from '../../components/DossierDocuments';
import { DossierShipments } from '../../components/DossierShipments';
import { DossierTimeline } from '../../components/DossierTimeline';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FileUpload } from '../../components/FileUpload';
import { ResultPreviewLink } from '../../components/ResultPreviewLink';
import { formAnswers } from '../../components/OnlineForm';
import { Loading, PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { DossierStatusTag, TimelinessTag } from '../../components/StatusTag';
import { formatDateTimeShort } from '../../lib/format';
import type { Schema } from '../../lib/json-schema';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { FileLinks } from '../MyDossierPage';
import { NotFoundPage } from '../NotFoundPage';

type OfficialAction = Exclude<DossierActionType, 'submit' | 'supplement' | 'rate'>;

/** Keys of the default process (apps/server/src/modules/dossier/process.ts), used when the real one cannot be read. */

/** The order in which actions are offered; the first one available is the main one. */
const ACTION_ORDER: OfficialAction[] = [
  'receive', 'claim', 'forward', 'approve', 'mark_result_ready', 'return_result', 'request_supplement_before_reception',
  'request_supplement', 'assign', 'return_step', 'transfer', 'extend', 'refuse', 'stop', 'withdraw',
];
const MAIN_ACTIONS = new Set<OfficialAction>(['receive', 'claim', 'forward', 'approve', 'mark_result_ready', 'return_result']);
const DANGER_ACTIONS = new Set<OfficialAction>(['refuse', 'stop', 'withdraw']);

/**
 * The actions this official may take now. The server decides (403/409); this mirrors its rules
 * (apps/server/src/modules/dossier/access.ts) by role, since `allowedActions` only follows the
 * dossier's state.
 */
export function actionsFor(me: Me, d: DossierDetail): OfficialAction[] {
  const roles = new Set(me.roles.map((r) => r.role));
  const desk = roles.has('reception_officer');
  const managers = roles.has('division_head') || roles.has('agency_leader');
  const holds = !!d.assigneeId && d.assigneeId === me.id;
  const stepOfficer = holds || managers;
  const allowed = new Set(d.allowedActions);
  return ACTION_ORDER.filter((a) => {
    if (!allowed.has(a)) return false;
    switch (a) {
      case 'receive':
      case 'request_supplement_before_reception':
      case 'mark_result_ready':
      case 'return_result':
        return desk;
      case 'withdraw':
        return desk || managers;
      case 'refuse':
        return d.status === 'submitted' || d.status === 'awaiting_supplement_before_reception' ? desk : stepOfficer;
      case 'claim':
        return !!d.step && roles.has(d.step.role as never) && !d.assigneeId;
      case 'assign':
        return managers;
      case 'forward':
        // The leader's step is the last one: it ends with approval.
        return stepOfficer && d.step?.role !== 'agency_leader';
      case 'return_step':
        return stepOfficer && (d.step?.index ?? 0) > 0;
      case 'transfer':
      case 'request_supplement':
      case 'extend':
      case 'stop':
        return stepOfficer;
      case 'approve':
        return roles.has('agency_leader') && d.step?.role === 'agency_leader';
      default:
        return false;
    }
  });
}

function AgencyName({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const agency = useAgency(id);
  return <>{agency.data ? agencyName(agency.data, i18n.language) : '…'}</>;
}

type ActionForm = {
  comment?: string;
  reasons?: string[];
  assigneeId?: string;
  toStep?: string;
  toAgencyId?: string | null;
  newDueAt?: Dayjs;
  method?: 'counter' | 'post' | 'online';
};

const NEEDS_REASONS = new Set<OfficialAction>(['refuse', 'stop', 'request_supplement', 'request_supplement_before_reception']);

function AssigneeSelect({ d, id, value, onChange }: { d: DossierDetail; id?: string; value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  // The officials with a processing role over the agency holding the dossier; those fitting the step first.
  const officials = useQuery({
    queryKey: ['dossier', d.id, 'assignees', d.lastSeq],
    queryFn: () => api.get<AssignableOfficialList>(`/dossiers/${encodeURIComponent(d.id)}/assignees`, undefined, { cache: 'no-store' }),
    retry: false,
  });
  if (officials.error instanceof ApiRequestError && officials.error.status === 403)
    return <Alert type="warning" showIcon title={t('staffDossier.assigneeUnavailable')} />;
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      loading={officials.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={(officials.data?.items ?? []).map((o) => ({
        value: o.id,
        label: `${o.fullName} — ${o.roles.map((r) => t(`roles.${r}`)).join(', ')}${o.fitsStep ? '' : ` (${o.agency.name})`}`,
      }))}
    />
  );
}

function ActionModal({ d, type, onClose }: { d: DossierDetail; type: OfficialAction; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ActionForm>();
  const act = useMutation({
    mutationFn: (body: ActionBody) => api.post<DossierDetail>(`/dossiers/${d.id}/actions`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(dossierKey(d.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['staff'] });
      void message.success(t('staffDossier.done', { action: t(`dossierAction.${type}`) }));
      onClose();
    },
  });
  const otherErrors = useServerFieldErrors(form, act.error, ['comment', 'reasons', 'assigneeId', 'toStep', 'toAgencyId', 'newDueAt', 'method']);
  const stale = act.error instanceof ApiRequestError && act.error.status === 409;

  // Earlier steps to return to, from the dossier's own process version (the server lists them for officials).
  const stepOptions = (d.returnSteps ?? []).map((s) => ({ value: s.key, label: i18n.language === 'en' ? s.name.en : s.name.vi }));

  const onFinish = (v: ActionForm) => {
    const body: ActionBody = { type, expectedSeq: d.lastSeq };
    if (v.comment?.trim()) body.comment = v.comment.trim();
    if (NEEDS_REASONS.has(type)) body.reasons = (v.reasons ?? []).map((r) => r.trim()).filter(Boolean);
    if (type === 'assign') body.assigneeId = v.assigneeId;
    if (type === 'return_step') body.toStep = v.toStep;
    if (type === 'transfer') body.toAgencyId = v.toAgencyId ?? undefined;
    if (type === 'extend' && v.newDueAt) body.newDueAt = v.newDueAt.toISOString();
    if (type === 'return_result') body.method = v.method;
    act.mutate(body);
  };

  const danger = DANGER_ACTIONS.has(type);
  return (
    <Modal
      open
      title={t(`staffDossier.actionTitle.${type}`)}
      onCancel={onClose}
      okText={t(`staffDossier.actionOk.${type}`)}
      okButtonProps={{ danger, loading: act.isPending, disabled: stale }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      width={620}
    >
      <Typography.Paragraph>{t(`staffDossier.actionHelp.${type}`)}</Typography.Paragraph>
      <ErrorAlert error={act.error} extra={otherErrors} />
      {stale ? (
        <Button
          icon={<ReloadOutlined aria-hidden />}
          onClick={() => {
            void queryClient.invalidateQueries({ queryKey: dossierKey(d.id) });
            onClose();
          }}
          style={{ marginBottom: 16 }}
        >
          {t('staffDossier.reload')}
        </Button>
      ) : null}
      <Form<ActionForm>
        form={form}
        layout="vertical"
        noValidate
        onFinish={onFinish}
        initialValues={{ reasons: [''], method: d.delivery.method, newDueAt: d.dueAt ? dayjs(d.dueAt).add(1, 'day') : undefined }}
      >
        {NEEDS_REASONS.has(type) ? (
          <Form.List name="reasons">
            {(fields, { add, remove }) => (
              <fieldset className="fieldset">
                <legend>{t('staffDossier.reasons')}</legend>
                {fields.map((field, i) => (
                  <Space key={field.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      name={field.name}
                      label={t('staffDossier.reasonN', { n: i + 1 })}
                      rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
                      style={{ flex: 1, minWidth: 260 }}
                    >
                      <Input.TextArea rows={2} maxLength={1000} />
                    </Form.Item>
                    {fields.length > 1 ? (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined aria-hidden />}
                        aria-label={t('staffDossier.removeReason', { n: i + 1 })}
                        onClick={() => remove(field.name)}
                        className="remove-col"
                      />
                    ) : null}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add('')}>
                  {t('staffDossier.addReason')}
                </Button>
              </fieldset>
            )}
          </Form.List>
        ) : null}
        {type === 'assign' ? (
          <Form.Item name="assigneeId" label={t('staffDossier.assignee')} rules={[{ required: true, message: t('validation.required') }]}>
            <AssigneeSelect d={d} />
          </Form.Item>
        ) : null}
        {type === 'return_step' ? (
          stepOptions.length ? (
            <Form.Item name="toStep" label={t('staffDossier.toStep')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select options={stepOptions} />
            </Form.Item>
          ) : (
            <Alert type="warning" showIcon title={t('staffDossier.stepsUnavailable')} />
          )
        ) : null}
        {type === 'transfer' ? (
          <Form.Item name="toAgencyId" label={t('staffDossier.toAgency')} rules={[{ required: true, message: t('validation.required') }]}>
            <AgencySelect excludeId={d.currentAgency?.id} />
          </Form.Item>
        ) : null}
        {type === 'extend' ? (
          <Form.Item name="newDueAt" label={t('staffDossier.newDueAt')} rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="DD/MM/YYYY HH:mm" disabledDate={(x) => !!d.dueAt && x.isBefore(dayjs(d.dueAt), 'day')} />
          </Form.Item>
        ) : null}
        {type === 'return_result' ? (
          <Form.Item name="method" label={t('staffDossier.returnMethod')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={(['counter', 'post', 'online'] as const).map((m) => ({ value: m, label: t(`delivery.${m}`) }))} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="comment"
          label={type === 'extend' ? t('staffDossier.apologyReason') : t('staffDossier.comment')}
          rules={type === 'extend' ? [{ required: true, whitespace: true, message: t('validation.required') }] : []}
        >
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

function VisitsTable({ d }: { d: DossierDetail }) {
  const { t, i18n } = useTranslation();
  type Visit = DossierDetail['visits'][number];
  const now = dayjs();
  const columns: TableColumnsType<Visit> = [
    { title: t('staffDossier.visitStep'), key: 'step', render: (_, v) => (v.stepName ? (i18n.language === 'en' ? v.stepName.en : v.stepName.vi) : `#${v.stepIndex + 1}`) },
    { title: t('staffDossier.visitAgency'), key: 'agency', render: (_, v) => <AgencyName id={v.agencyId} /> },
    { title: t('staffDossier.visitStart'), key: 'start', render: (_, v) => formatDateTimeShort(v.startedAt) },
    { title: t('staffDossier.visitDue'), key: 'due', render: (_, v) => formatDateTimeShort(v.dueAt) },
    {
      title: t('staffDossier.visitEnd'),
      key: 'end',
      render: (_, v) =>
        v.endedAt ? (
          <>
            {formatDateTimeShort(v.endedAt)}
            {v.endedBy ? <div className="muted">{t(`dossierAction.${v.endedBy}`)}</div> : null}
          </>
        ) : (
          <Tag color="#0b4f9c">{t('staffDossier.visitOpen')}</Tag>
        ),
    },
    {
      title: t('staffDossier.visitResult'),
      key: 'result',
      render: (_, v) =>
        v.timeliness ? <TimelinessTag value={v.timeliness} /> : !v.endedAt && now.isAfter(dayjs(v.dueAt)) ? <TimelinessTag value="late" /> : '—',
    },
  ];
  return (
    <ScrollRegion label={t('staffDossier.processControl')} minWidth={760}>
      <Table<Visit>
        rowKey={(v) => `${v.stepIndex}-${v.startedAt}`}
        size="small"
        columns={columns}
        dataSource={d.visits}
        pagination={false}
        locale={{ emptyText: t('staffDossier.noVisits') }}
        data-testid="visits-table"
      />
    </ScrollRegion>
  );
}

export function StaffDossierPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const dossier = useDossier(id);
  const d = dossier.data;
  const procedure = useProcedure(d?.procedure.id);
  // With a result template, approval without an attached result generates (and signs) one.
  const resultFromTemplate = useResultPreviewAvailable(d);
  const [action, setAction] = useState<OfficialAction | null>(null);
  useDocumentTitle(d ? t('staffDossier.titleFor', { code: d.code ?? t('dossier.noCode') }) : t('staffDossier.title'));

  if (dossier.error instanceof ApiRequestError && dossier.error.status === 404) return <NotFoundPage />;
  if (dossier.isPending || !me) return <Loading />;
  if (!d) return <ErrorAlert error={dossier.error} />;

  const actions = actionsFor(me, d);
  const main = actions.find((a) => MAIN_ACTIONS.has(a));
  const holds = !!d.assigneeId && d.assigneeId === me.id;
  const canAttach =
    ['processing', 'waiting_supplement', 'approved', 'result_ready'].includes(d.status) &&
    (holds || hasRole(me, 'division_head', 'agency_leader', 'reception_officer'));
  const agencyLabel = (a: DossierDetail['receivingAgency'] | null) => (a ? (i18n.language === 'en' && a.nameEn ? a.nameEn : a.name) : '—');
  const answers = formAnswers(procedure.data?.onlineForm?.schema as Schema | undefined, d.formData as Record<string, unknown>);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: dossierKey(d.id) });

  return (
    <>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/staff/queues/all">{t('queues.title')}</Link> <span aria-hidden>›</span> <span>{d.code ?? t('dossier.noCode')}</span>
      </nav>
      <PageTitle
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={refresh} loading={dossier.isFetching}>
            {t('staffDossier.refresh')}
          </Button>
        }
      >
        {t('staffDossier.titleFor', { code: d.code ?? t('dossier.noCode') })}
      </PageTitle>
      <Typography.Paragraph className="lead">{d.procedure.name}</Typography.Paragraph>
      <Space wrap className="procedure-tags">
        <DossierStatusTag status={d.status} />
        <TimelinessTag value={d.timeliness} />
        {d.step ? (
          <span data-testid="current-step">
            {t('staffDossier.step')}: <strong>{i18n.language === 'en' ? d.step.name.en : d.step.name.vi}</strong> ({agencyLabel(d.currentAgency)})
          </span>
        ) : null}
        {d.assigneeId ? (
          <Tag data-testid="assignee">{holds ? t('queues.heldByMe') : d.assignee ? t('staffDossier.heldBy', { name: d.assignee.fullName }) : t('staffDossier.heldByOther')}</Tag>
        ) : d.step ? (
          <Tag data-testid="assignee">{t('staffDossier.unclaimed')}</Tag>
        ) : null}
      </Space>

      <Card className="action-bar" title={<h2 className="card-heading">{t('staffDossier.actions')}</h2>}>
        {actions.length ? (
          <Space wrap data-testid="dossier-actions">
            {actions.map((a) => (
              <Button key={a} type={a === main ? 'primary' : 'default'} danger={DANGER_ACTIONS.has(a)} onClick={() => setAction(a)}>
                {t(`dossierAction.${a}`)}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Paragraph className="muted" data-testid="no-actions">
            {t('staffDossier.noActions')}
          </Typography.Paragraph>
        )}
        {d.status === 'processing' && d.step?.role === 'agency_leader' && filesOfKind(d, 'result').length === 0 && actions.includes('approve') && resultFromTemplate !== true ? (
          <Alert type="info" showIcon title={t('staffDossier.uploadResultFirst')} style={{ marginTop: 12 }} />
        ) : null}
        <ResultPreviewLink d={d} />
      </Card>

      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-heading">{t('staffDossier.general')}</h2>} className="section-card">
            <Descriptions column={1} size="small" styles={{ label: { width: '42%' } }}>
              <Descriptions.Item label={t('dossier.applicant')}>{d.applicant.name}</Descriptions.Item>
              <Descriptions.Item label={t('fields.phone')}>{d.applicant.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('fields.email')}>{d.applicant.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('fields.personalId')}>{d.applicant.idNumberMasked ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('fields.address')}>{d.applicant.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.channel')}>{t(`channel.${d.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.receivingAgency')}>{agencyLabel(d.receivingAgency)}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.submittedAt')}>{formatDateTimeShort(d.submittedAt) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.receivedAt')}>{formatDateTimeShort(d.receivedAt) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.dueAt')}>{formatDateTimeShort(d.dueAt) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('staffDossier.stepDueAt')}>{formatDateTimeShort(d.stepDueAt) || '—'}</Descriptions.Item>
              {d.pausedSince ? <Descriptions.Item label={t('staffDossier.pausedSince')}>{formatDateTimeShort(d.pausedSince)}</Descriptions.Item> : null}
              <Descriptions.Item label={t('dossier.delivery')}>
                {t(`delivery.${d.delivery.method}`)}
                {d.delivery.address ? `: ${d.delivery.address}` : ''}
              </Descriptions.Item>
              {d.rating ? (
                <Descriptions.Item label={t('myDossier.ratingTitle')}>
                  {t(`rating.${d.rating.score}`)}
                  {d.rating.comment ? ` — “${d.rating.comment}”` : ''}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
            <DossierDocuments d={d} official />
          </Card>
          <Card title={<h2 className="card-heading">{t('submit.stepForm')}</h2>} className="section-card">
            {answers.length ? (
              <Descriptions column={1} size="small" bordered styles={{ label: { width: '40%' } }} data-testid="form-answers">
                {answers.map((a) => (
                  <Descriptions.Item key={a.key} label={a.label}>
                    {a.value}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : (
              <Typography.Paragraph className="muted">{t('submit.noAnswers')}</Typography.Paragraph>
            )}
          </Card>
          <Card title={<h2 className="card-heading">{t('myDossier.papers')}</h2>} className="section-card" data-testid="staff-papers">
            <FileLinks dossierId={d.id} files={filesOfKind(d, 'component', 'supplement')} emptyText={t('myDossier.noPapers')} />
          </Card>
          <Card title={<h2 className="card-heading">{t('staffDossier.results')}</h2>} className="section-card" data-testid="staff-results">
            <h3 className="sub-heading">{t('staffDossier.resultFiles')}</h3>
            <FileLinks dossierId={d.id} files={filesOfKind(d, 'result')} emptyText={t('staffDossier.noResult')} />
            <h3 className="sub-heading">{t('staffDossier.workingPapers')}</h3>
            <FileLinks dossierId={d.id} files={filesOfKind(d, 'action')} emptyText={t('staffDossier.noWorkingPapers')} />
            {canAttach ? (
              <div className="attach-row">
                <FileUpload dossierId={d.id} kind="result" label={t('staffDossier.uploadResult')} buttonText={t('staffDossier.uploadResult')} testId="upload-result" onUploaded={refresh} />
                <FileUpload dossierId={d.id} kind="action" label={t('staffDossier.uploadWorking')} buttonText={t('staffDossier.uploadWorking')} testId="upload-working" onUploaded={refresh} />
              </div>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-heading">{t('staffDossier.processControl')}</h2>} className="section-card">
            <VisitsTable d={d} />
          </Card>
          <Card title={<h2 className="card-heading">{t('dossier.timeline')}</h2>} className="section-card">
            <DossierTimeline dossier={d} />
          </Card>
        </Col>
      </Row>
      <DossierShipments d={d} official />
      {action ? <ActionModal d={d} type={action} onClose={() => setAction(null)} /> : null}
    </>
  );
}
