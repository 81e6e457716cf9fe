import { useId, useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type {
  FeedbackActionType, FeedbackDetail, FeedbackKind, FeedbackQueueStatus, FeedbackSummary, StaffCreateFeedbackBody,
} from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { useFeedback, useFeedbackAction, useRecordFeedback, useStaffFeedback, type StaffFeedbackFilters } from '../../api/feedback';
import { useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { UrgencyTable } from '../../components/UrgencyTable';
import { formatDateTimeShort } from '../../lib/format';
import { listParams } from '../../lib/list-params';
import { localise, useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { ProcedurePicker } from '../../components/ProcedurePicker';
import {
  agencyLabel, FeedbackDeadlines, FeedbackEvents, FeedbackKindTag, FeedbackStatusTag, FeedbackUrgencyTag, UserText,
} from '../feedback/parts';

const PAGE_SIZE = 25;
const QUEUES: FeedbackQueueStatus[] = ['open', 'received', 'accepted', 'info_requested', 'answered', 'closed', 'all'];
const NEEDS_TEXT: FeedbackActionType[] = ['request_info', 'reject', 'answer'];
/** The action offered first: the one that moves the item on. */
const PREFERRED: FeedbackActionType[] = ['accept', 'answer', 'publish', 'request_info', 'reject'];

/** The actions this official may take on the item now, one at a time. */
function ActionsPanel({ d }: { d: FeedbackDetail }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const allowed = PREFERRED.filter((a) => d.allowedActions.includes(a));
  const [chosen, setChosen] = useState<FeedbackActionType | null>(null);
  const action = chosen && allowed.includes(chosen) ? chosen : (allowed[0] ?? null);
  const [text, setText] = useState('');
  const [publicContent, setPublicContent] = useState('');
  const act = useFeedbackAction(d);
  const textId = useId();
  const publicId = useId();
  if (!action) return <Typography.Paragraph className="muted">{t('feedback.staff.noActions')}</Typography.Paragraph>;
  const needsText = NEEDS_TEXT.includes(action);
  const submit = () =>
    act.mutate(
      {
        type: action,
        ...(needsText ? { text: text.trim() } : {}),
        ...(action === 'publish' && publicContent.trim() ? { publicContent: publicContent.trim() } : {}),
      },
      {
        onSuccess: () => {
          setText('');
          setPublicContent('');
          setChosen(null);
          void message.success(t(`feedback.staff.done.${action}`));
        },
      },
    );
  return (
    <Form layout="vertical" onFinish={submit} data-testid="feedback-actions">
      <fieldset className="plain-fieldset">
        <legend>{t('feedback.staff.actionsTitle')}</legend>
        <Radio.Group className="vertical-radios" value={action} onChange={(e) => setChosen(e.target.value as FeedbackActionType)}>
          {allowed.map((a) => (
            <Radio key={a} value={a}>
              {t(`feedback.staff.action.${a}`)}
            </Radio>
          ))}
        </Radio.Group>
      </fieldset>
      {needsText ? (
        <Form.Item label={t(`feedback.staff.text.${action}`)} htmlFor={textId} style={{ marginTop: 16 }} required>
          <Input.TextArea id={textId} rows={5} maxLength={10000} value={text} onChange={(e) => setText(e.target.value)} />
        </Form.Item>
      ) : null}
      {action === 'publish' ? (
        <Form.Item label={t('feedback.staff.publicContent')} htmlFor={publicId} style={{ marginTop: 16 }}>
          <Input.TextArea id={publicId} rows={4} maxLength={5000} value={publicContent} onChange={(e) => setPublicContent(e.target.value)} />
        </Form.Item>
      ) : null}
      <ErrorAlert error={act.error} extra={act.error instanceof ApiRequestError ? act.error.fields.map((f) => localise(f.message, i18n.language)) : undefined} />
      <Button type="primary" htmlType="submit" loading={act.isPending} disabled={needsText && !text.trim()} style={{ marginTop: 8 }}>
        {t(`feedback.staff.action.${action}`)}
      </Button>
    </Form>
  );
}

function ItemDetail({ d }: { d: FeedbackDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid="feedback-detail">
      <Space wrap style={{ marginBottom: 12 }}>
        <FeedbackKindTag kind={d.kind} />
        <FeedbackStatusTag status={d.status} />
      </Space>
      <h2 className="sub-heading" style={{ fontSize: 18 }}>
        {d.subject}
      </h2>
      <Descriptions column={1} size="small" styles={{ label: { width: '40%' } }}>
        <Descriptions.Item label={t('feedback.sender')}>
          {d.sender.name ?? t('feedback.anonymous')}
          {d.sender.phone ? ` — ${d.sender.phone}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('feedback.staff.channelLabel')}>{t(`feedback.channel.${d.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('feedback.form.topicLegend')}>{t(`feedback.topic.${d.topic}`)}</Descriptions.Item>
        <Descriptions.Item label={t('feedback.agency')}>{agencyLabel(d.agency, i18n.language)}</Descriptions.Item>
        {d.procedure ? <Descriptions.Item label={t('feedback.procedure')}>{d.procedure.name}</Descriptions.Item> : null}
        {d.dossier ? <Descriptions.Item label={t('feedback.dossier')}>{d.dossier.code ?? '—'}</Descriptions.Item> : null}
      </Descriptions>
      <div style={{ marginTop: 12 }}>
        <UserText>{d.content}</UserText>
      </div>
      {d.answer ? (
        <Card size="small" title={<h3 className="card-heading">{t('feedback.answer')}</h3>} style={{ marginBottom: 16 }}>
          <UserText>{d.answer}</UserText>
        </Card>
      ) : null}
      {d.rejectReason ? (
        <Card size="small" title={<h3 className="card-heading">{t('feedback.rejectReason')}</h3>} style={{ marginBottom: 16 }}>
          <UserText>{d.rejectReason}</UserText>
        </Card>
      ) : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <ActionsPanel key={`${d.id}:${d.lastSeq}`} d={d} />
      </Card>
      <h3 className="sub-heading">{t('feedback.deadlines')}</h3>
      <FeedbackDeadlines d={d} />
      <h3 className="sub-heading">{t('feedback.timeline')}</h3>
      <FeedbackEvents d={d} />
    </div>
  );
}

function ItemDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const item = useFeedback(id);
  const title = item.data ? t('feedback.staff.drawerTitle', { code: item.data.code }) : t('feedback.staff.title');
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      placement="right"
      size="min(720px, 100vw)"
      title={title}
      closable={{ 'aria-label': t('common.close') }}
      destroyOnHidden
      styles={{ body: { padding: 0, overflow: 'hidden', display: 'flex', flexDirection: 'column' } }}
    >
      {/* The body scrolls in a focusable region, so keyboard users can scroll it when nothing in it takes focus. */}
      <div role="region" aria-label={title} tabIndex={0} style={{ overflowY: 'auto', flex: 1, padding: 24 }}>
        <ErrorAlert error={item.error} />
        {item.data ? <ItemDetail d={item.data} /> : item.isLoading ? <Loading /> : null}
      </div>
    </Drawer>
  );
}

type RecordForm = {
  kind: FeedbackKind;
  topic: 'agency' | 'general' | 'procedure';
  channel: 'counter' | 'phone' | 'letter' | 'email';
  agencyId: string | null;
  procedureId?: string;
  subject: string;
  content: string;
  senderName?: string;
  senderPhone?: string;
};

const RECORD_FIELDS = ['kind', 'topic', 'channel', 'agencyId', 'procedureId', 'subject', 'content', 'sender'] as const;

/** Feedback received by phone, letter, email or at the counter, recorded by the official. */
function RecordModal({ open, onClose, onRecorded }: { open: boolean; onClose: () => void; onRecorded: (d: FeedbackDetail) => void }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [form] = Form.useForm<RecordForm>();
  const record = useRecordFeedback();
  const otherErrors = useServerFieldErrors(form, record.error, RECORD_FIELDS);
  const topic = Form.useWatch('topic', form);
  const required = { required: true, message: t('feedback.form.required') };
  const onFinish = (v: RecordForm) => {
    const body: StaffCreateFeedbackBody = {
      kind: v.kind, topic: v.topic, channel: v.channel, agencyId: v.agencyId ?? '', subject: v.subject.trim(), content: v.content.trim(),
      ...(v.topic === 'procedure' && v.procedureId ? { procedureId: v.procedureId } : {}),
      ...(v.senderName?.trim() || v.senderPhone?.trim()
        ? { sender: { ...(v.senderName?.trim() ? { name: v.senderName.trim() } : {}), ...(v.senderPhone?.trim() ? { phone: v.senderPhone.trim() } : {}) } }
        : {}),
    };
    record.mutate(body, {
      onSuccess: (d) => {
        form.resetFields();
        onRecorded(d);
      },
    });
  };
  return (
    <Modal
      open={open}
      title={t('feedback.staff.recordTitle')}
      onCancel={onClose}
      okText={t('feedback.staff.recordOk')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: record.isPending, htmlType: 'submit', form: 'feedback-record-form' }}
      destroyOnHidden
    >
      <ErrorAlert error={record.error} extra={otherErrors} />
      <Form<RecordForm>
        id="feedback-record-form"
        form={form}
        layout="vertical"
        noValidate
        requiredMark="optional"
        onFinish={onFinish}
        initialValues={{ kind: 'complaint', topic: 'agency', channel: 'phone', agencyId: me?.roles[0]?.agencyId ?? null }}
      >
        <Form.Item name="kind" label={t('feedback.form.kindLegend')} rules={[required]}>
          <Select options={(['complaint', 'feedback'] as const).map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="channel" label={t('feedback.staff.channelLabel')} rules={[required]}>
          <Select options={(['phone', 'counter', 'letter', 'email'] as const).map((k) => ({ value: k, label: t(`feedback.channel.${k}`) }))} />
        </Form.Item>
        <Form.Item name="topic" label={t('feedback.form.topicLegend')} rules={[required]}>
          <Select options={(['agency', 'procedure', 'general'] as const).map((k) => ({ value: k, label: t(`feedback.topic.${k}`) }))} />
        </Form.Item>
        {topic === 'procedure' ? (
          <Form.Item name="procedureId" label={t('feedback.form.chooseProcedure')} rules={[required]}>
            <ProcedurePicker placeholder={t('feedback.form.procedurePlaceholder')} />
          </Form.Item>
        ) : null}
        <Form.Item name="agencyId" label={t('feedback.form.chooseAgency')} rules={[required]}>
          <AgencySelect allowClear={false} />
        </Form.Item>
        <Form.Item name="subject" label={t('feedback.subject')} rules={[required, { min: 5, message: t('feedback.form.tooShort', { min: 5 }) }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="content" label={t('feedback.content')} rules={[required, { min: 10, message: t('feedback.form.tooShort', { min: 10 }) }]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="senderName" label={t('feedback.staff.senderName')}>
          <Input maxLength={200} autoComplete="off" />
        </Form.Item>
        <Form.Item name="senderPhone" label={t('feedback.staff.senderPhone')}>
          <Input type="tel" inputMode="tel" maxLength={20} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Officials' feedback and complaints: the queue of their agencies (overdue first, then by
 * deadline), one item at a time in a drawer (`?item=`) with the actions they may take.
 */
export function FeedbackPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = (QUEUES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as FeedbackQueueStatus) : 'open';
  const filters: StaffFeedbackFilters = { status, q: params.get('q') || undefined, kind: params.get('kind') || undefined };
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const openId = params.get('item');
  const [q, setQ] = useState(filters.q ?? '');
  const [recording, setRecording] = useState(false);
  const statusLabel = useId();
  const kindLabel = useId();
  const qId = useId();
  useDocumentTitle(t('feedback.staff.title'));
  const list = useStaffFeedback(filters, page, PAGE_SIZE);
  const current = { status: status === 'open' ? undefined : status, q: filters.q, kind: filters.kind, item: openId ?? undefined };
  const update = (next: Record<string, string | number | undefined>) => setParams(listParams(current, next));

  const columns: TableColumnsType<FeedbackSummary> = [
    {
      title: t('feedback.code'),
      key: 'code',
      width: 190,
      render: (_, f) => (
        <Button type="link" className="dossier-link" style={{ padding: 0 }} onClick={() => update({ item: f.id, page })}>
          {f.code}
        </Button>
      ),
    },
    {
      title: t('feedback.subject'),
      key: 'subject',
      width: 300,
      render: (_, f) => (
        <>
          <div>{f.subject}</div>
          <FeedbackKindTag kind={f.kind} />
          {f.dossierCode ? <span className="muted">{t('feedback.dossier')}: {f.dossierCode}</span> : null}
        </>
      ),
    },
    {
      title: t('feedback.sender'),
      key: 'sender',
      width: 180,
      render: (_, f) => (
        <>
          <div>{f.senderName ?? t('feedback.anonymous')}</div>
          {f.senderPhone ? <div className="muted">{f.senderPhone}</div> : null}
        </>
      ),
    },
    { title: t('feedback.agency'), dataIndex: 'agencyName', key: 'agency', width: 200 },
    { title: t('feedback.receivedAt'), key: 'received', width: 140, render: (_, f) => formatDateTimeShort(f.receivedAt) },
    {
      title: t('feedback.dueAt'),
      key: 'due',
      width: 150,
      render: (_, f) => (
        <>
          <div>{f.dueAt ? formatDateTimeShort(f.dueAt) : '—'}</div>
          <FeedbackUrgencyTag overdue={f.overdue} dueSoon={f.dueSoon} late={f.timeliness === 'late'} />
        </>
      ),
    },
    { title: t('feedback.staff.filter.status'), key: 'status', width: 170, render: (_, f) => <FeedbackStatusTag status={f.status} /> },
  ];

  return (
    <>
      <PageTitle extra={<Button onClick={() => setRecording(true)}>{t('feedback.staff.record')}</Button>}>{t('feedback.staff.title')}</PageTitle>
      <Typography.Paragraph className="muted">{t('feedback.staff.intro')}</Typography.Paragraph>
      <section aria-label={t('procedures.filters')} className="filters">
        <div className="inline-field">
          <span id={statusLabel}>{t('feedback.staff.filter.status')}</span>
          <Select
            aria-labelledby={statusLabel}
            value={status}
            onChange={(v) => update({ status: v === 'open' ? undefined : v, item: undefined })}
            options={QUEUES.map((s) => ({ value: s, label: t(`feedback.staff.queue.${s}`) }))}
            style={{ width: '100%' }}
          />
        </div>
        <div className="inline-field">
          <span id={kindLabel}>{t('feedback.staff.filter.kind')}</span>
          <Select
            aria-labelledby={kindLabel}
            value={filters.kind ?? ''}
            onChange={(v) => update({ kind: v || undefined, item: undefined })}
            options={[{ value: '', label: t('feedback.staff.filter.allKinds') }, ...(['complaint', 'feedback'] as const).map((k) => ({ value: k, label: t(`feedback.kind.${k}`) }))]}
            style={{ width: '100%' }}
          />
        </div>
        <div className="inline-field" role="search" aria-label={t('feedback.staff.filter.q')}>
          <label htmlFor={qId}>{t('feedback.staff.filter.q')}</label>
          <Input.Search id={qId} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => update({ q: v.trim() || undefined, item: undefined })} maxLength={100} enterButton={t('common.search')} />
        </div>
      </section>
      <ErrorAlert error={list.error} />
      <p className="result-count" aria-live="polite">
        {list.data ? t('feedback.staff.count', { count: list.data.total }) : null}
      </p>
      <UrgencyTable<FeedbackSummary>
        label={t('feedback.staff.tableLabel')}
        minWidth={1300}
        columns={columns}
        items={list.data?.items ?? []}
        loading={list.isFetching}
        total={list.data?.total ?? 0}
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(p) => update({ page: p })}
        empty={t('feedback.staff.empty')}
        testId="feedback-table"
      />
      <ItemDrawer id={openId} onClose={() => update({ item: undefined, page })} />
      <RecordModal
        open={recording}
        onClose={() => setRecording(false)}
        onRecorded={(d) => {
          setRecording(false);
          void message.success(t('feedback.staff.recorded', { code: d.code }));
          update({ item: d.id });
        }}
      />
    </>
  );
}
