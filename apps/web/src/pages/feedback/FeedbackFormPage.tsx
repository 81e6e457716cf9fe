import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space, Typography } from 'antd';
import type { CreateFeedbackBody, FeedbackKind, FeedbackTopic } from '@motcua/contracts';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { useMyDossiers } from '../../api/dossiers';
import { useFileFeedback } from '../../api/feedback';
import { useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProcedurePicker } from '../../components/ProcedurePicker';
import { LinkButton } from '../../components/LinkButton';
import { Loading, PageTitle } from '../../components/PageState';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';

type FormValues = {
  kind: FeedbackKind;
  topic: FeedbackTopic;
  dossierId?: string;
  procedureId?: string;
  agencyId?: string | null;
  subject: string;
  content: string;
};

const FIELDS = ['kind', 'topic', 'dossierId', 'procedureId', 'agencyId', 'subject', 'content'] as const;
const TOPICS: FeedbackTopic[] = ['dossier', 'procedure', 'agency', 'general'];

/** My submitted dossiers (drafts cannot be complained about). */
function DossierPicker({ id, value, onChange }: { id?: string; value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const mine = useMyDossiers(1, 100);
  const options = (mine.data?.items ?? [])
    .filter((d) => d.status !== 'draft')
    .map((d) => ({ value: d.id, label: `${d.code ?? t('dossier.noCode')} — ${d.procedureName}` }));
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'label' }}
      options={options}
      loading={mine.isFetching}
      notFoundContent={t('feedback.form.noDossiers')}
    />
  );
}

function FeedbackForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const [key] = useState(newIdempotencyKey);
  const send = useFileFeedback(key);
  const otherErrors = useServerFieldErrors(form, send.error, FIELDS);
  const topic = Form.useWatch('topic', form);
  const prefilledDossier = params.get('dossier') ?? undefined;
  const prefilledProcedure = params.get('procedure') ?? undefined;
  const initial: Partial<FormValues> = {
    kind: 'complaint',
    topic: prefilledDossier ? 'dossier' : prefilledProcedure ? 'procedure' : 'general',
    dossierId: prefilledDossier,
    procedureId: prefilledProcedure,
  };

  const onFinish = (v: FormValues) => {
    const body: CreateFeedbackBody = { kind: v.kind, topic: v.topic, subject: v.subject.trim(), content: v.content.trim() };
    if (v.topic === 'dossier') body.dossierId = v.dossierId;
    if (v.topic === 'procedure') body.procedureId = v.procedureId;
    if ((v.topic === 'agency' || v.topic === 'general' || v.topic === 'procedure') && v.agencyId) body.agencyId = v.agencyId;
    send.mutate(body, {
      onSuccess: (d) => {
        void message.success(t('feedback.form.sent', { code: d.code }));
        void navigate(`/me/feedback/${d.id}`);
      },
    });
  };
  const required = { required: true, message: t('feedback.form.required') };

  return (
    <Card>
      <ErrorAlert error={send.error} extra={otherErrors} />
      <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} initialValues={initial} requiredMark="optional" noValidate data-testid="feedback-form">
        <fieldset className="plain-fieldset">
          <legend>{t('feedback.form.kindLegend')}</legend>
          <Form.Item name="kind" rules={[required]}>
            <Radio.Group className="vertical-radios">
              {(['complaint', 'feedback'] as const).map((k) => (
                <Radio key={k} value={k}>
                  <strong>{t(`feedback.kind.${k}`)}</strong> <span className="muted">— {t(`feedback.kindHelp.${k}`)}</span>
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </fieldset>
        <fieldset className="plain-fieldset">
          <legend>{t('feedback.form.topicLegend')}</legend>
          <Form.Item name="topic" rules={[required]}>
            <Radio.Group className="vertical-radios">
              {TOPICS.map((k) => (
                <Radio key={k} value={k}>
                  {t(`feedback.topic.${k}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </fieldset>
        {topic === 'dossier' ? (
          <Form.Item name="dossierId" label={t('feedback.form.chooseDossier')} rules={[required]}>
            <DossierPicker />
          </Form.Item>
        ) : null}
        {topic === 'procedure' ? (
          <Form.Item name="procedureId" label={t('feedback.form.chooseProcedure')} rules={[required]}>
            <ProcedurePicker placeholder={t('feedback.form.procedurePlaceholder')} />
          </Form.Item>
        ) : null}
        {topic === 'agency' ? (
          <Form.Item name="agencyId" label={t('feedback.form.chooseAgency')} rules={[required]}>
            <AgencySelect />
          </Form.Item>
        ) : null}
        {topic === 'general' ? (
          <Form.Item name="agencyId" label={t('feedback.form.chooseAgency')} extra={t('feedback.form.agencyDefault')}>
            <AgencySelect />
          </Form.Item>
        ) : null}
        <Form.Item
          name="subject"
          label={t('feedback.subject')}
          extra={t('feedback.form.subjectHint')}
          rules={[required, { min: 5, message: t('feedback.form.tooShort', { min: 5 }) }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('feedback.content')}
          extra={t('feedback.form.contentHint')}
          rules={[required, { min: 10, message: t('feedback.form.tooShort', { min: 10 }) }]}
        >
          <Input.TextArea rows={6} maxLength={5000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={send.isPending}>
          {t('feedback.form.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/**
 * "Gửi phản ánh, kiến nghị": the form for a signed-in citizen (prefilled with `?dossier=` or
 * `?procedure=`); anyone else is told how to send feedback.
 */
export function FeedbackFormPage() {
  const { t } = useTranslation();
  const { data: me, isPending } = useMe();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  useDocumentTitle(t('feedback.form.title'));
  if (isPending) return <Loading />;
  return (
    <div className="narrow">
      <PageTitle>{t('feedback.form.title')}</PageTitle>
      <Typography.Paragraph>{t('feedback.form.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        {me?.kind === 'citizen' ? <Link to="/me/feedback">{t('feedback.form.mine')}</Link> : null}
        <Link to="/phan-anh/cong-khai">{t('feedback.form.published')}</Link>
      </Space>
      {me?.kind === 'citizen' ? <FeedbackForm /> : null}
      {!me ? (
        <Alert
          type="info"
          showIcon
          title={t('feedback.form.signInNeeded')}
          action={
            // Through the citizens' area, so that signing in comes back to the form.
            <Button type="primary" onClick={() => void navigate(`/me/feedback/new${params.size ? `?${params.toString()}` : ''}`)}>
              {t('nav.signin')}
            </Button>
          }
        />
      ) : null}
      {me?.kind === 'official' ? (
        <Alert type="info" showIcon title={t('feedback.form.officialHint')} action={<LinkButton to="/staff/feedback">{t('feedback.form.toStaff')}</LinkButton>} />
      ) : null}
    </div>
  );
}
