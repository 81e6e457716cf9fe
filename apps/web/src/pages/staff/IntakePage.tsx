import { useRef, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Radio, Result, Row, Select, Tag, Typography } from 'antd';
import { CheckCircleOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { CounterDossierBody, DossierDetail, DossierFile } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { useProcedure } from '../../api/catalog';
import { api, ApiRequestError, newIdempotencyKey } from '../../api/client';
import { documentUrl } from '../../api/dossiers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FileUpload } from '../../components/FileUpload';
import { LinkButton } from '../../components/LinkButton';
import { ProcedurePicker } from '../../components/ProcedurePicker';
import { PageTitle } from '../../components/PageState';
import { formatDateTimeShort } from '../../lib/format';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';

type IntakeForm = {
  procedureId: string;
  agencyId?: string;
  channel: 'in_person' | 'post';
  name: string;
  phone?: string;
  email?: string;
  idNumber?: string;
  address?: string;
  deliveryMethod: 'counter' | 'post' | 'online';
  deliveryAddress?: string;
};

const FIELDS = ['procedureId', 'agencyId', 'channel', 'applicant', 'delivery'] as const;

export function IntakePage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<IntakeForm>();
  const procedureId = Form.useWatch('procedureId', form);
  const channel = Form.useWatch('channel', form);
  const deliveryMethod = Form.useWatch('deliveryMethod', form);
  const [draft, setDraft] = useState<DossierDetail | null>(null);
  // Once the draft exists the form is gone (and its watched values with it).
  const procedure = useProcedure(draft?.procedure.id ?? procedureId);
  const [files, setFiles] = useState<DossierFile[]>([]);
  const [received, setReceived] = useState<DossierDetail | null>(null);
  const submitKey = useRef(newIdempotencyKey());
  const headingRef = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('intake.title'));

  const create = useMutation({
    mutationFn: (body: CounterDossierBody) => api.post<DossierDetail>('/staff/dossiers', body),
    onSuccess: (d) => {
      setDraft(d);
      requestAnimationFrame(() => headingRef.current?.focus());
    },
  });
  const otherErrors = useServerFieldErrors(form, create.error, FIELDS);

  const receive = useMutation({
    mutationFn: async (d: DossierDetail) => {
      let current = d;
      if (current.status === 'draft') {
        current = await api.post<DossierDetail>(`/dossiers/${d.id}/submit`, {}, { headers: { 'idempotency-key': submitKey.current } });
        setDraft(current);
      }
      return api.post<DossierDetail>(`/dossiers/${d.id}/actions`, { type: 'receive', expectedSeq: current.lastSeq });
    },
    onSuccess: (d) => {
      setReceived(d);
      requestAnimationFrame(() => headingRef.current?.focus());
    },
    onError: (err) => {
      if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500) submitKey.current = newIdempotencyKey();
    },
  });

  const receiving = (procedure.data?.agencies ?? []).filter((a) => a.kind === 'receiving');
  const procedureOk = !!procedure.data && procedure.data.methods.some((m) => m === 'in_person' || m === 'post');

  const onFinish = (v: IntakeForm) => {
    const blank = (s?: string) => (s?.trim() ? s.trim() : undefined);
    create.mutate({
      procedureId: v.procedureId,
      agencyId: receiving.length > 1 ? v.agencyId : undefined,
      channel: v.channel,
      applicant: {
        name: v.name.trim(),
        phone: blank(v.phone),
        email: blank(v.email),
        idNumber: blank(v.idNumber)?.replace(/\s/g, ''),
        address: blank(v.address),
      },
      delivery: v.deliveryMethod === 'post' ? { method: 'post', address: v.deliveryAddress?.trim() } : { method: v.deliveryMethod },
    });
  };

  const restart = () => {
    setDraft(null);
    setFiles([]);
    setReceived(null);
    create.reset();
    receive.reset();
    form.resetFields();
    submitKey.current = newIdempotencyKey();
  };

  if (received) {
    return (
      <>
        <PageTitle>{t('intake.title')}</PageTitle>
        <Result
          status="success"
          icon={<CheckCircleOutlined aria-hidden />}
          title={
            <h2 ref={headingRef} tabIndex={-1} className="result-heading" data-testid="intake-done">
              {t('intake.doneTitle', { code: received.code })}
            </h2>
          }
          subTitle={
            <>
              <p>{t('intake.doneDue', { date: formatDateTimeShort(received.dueAt) })}</p>
              <p>
                <a href={documentUrl(received.id, 'receipt')} download className="underlined">
                  <FilePdfOutlined aria-hidden /> {t('intake.printSlip')}
                </a>
              </p>
            </>
          }
          extra={[
            <LinkButton key="open" type="primary" to={`/staff/dossiers/${received.id}`}>
              {t('intake.openDossier')}
            </LinkButton>,
            <Button key="again" onClick={restart}>
              {t('intake.another')}
            </Button>,
          ]}
        />
      </>
    );
  }

  return (
    <>
      <PageTitle>{t('intake.title')}</PageTitle>
      <Typography.Paragraph>{t('intake.intro')}</Typography.Paragraph>
      {!draft ? (
        <Card>
          <ErrorAlert error={create.error} extra={otherErrors} />
          <Form<IntakeForm>
            form={form}
            layout="vertical"
            noValidate
            requiredMark
            initialValues={{ channel: 'in_person', deliveryMethod: 'counter' }}
            onFinish={onFinish}
          >
            <h2 className="card-heading form-section">{t('intake.procedureSection')}</h2>
            <Form.Item name="procedureId" label={t('dossier.procedure')} rules={[{ required: true, message: t('validation.required') }]}>
              <ProcedurePicker placeholder={t('intake.procedurePlaceholder')} />
            </Form.Item>
            {procedure.data && !procedureOk ? <Alert type="warning" showIcon title={t('intake.notAtCounter')} style={{ marginBottom: 16 }} /> : null}
            {receiving.length > 1 ? (
              <Form.Item name="agencyId" label={t('submit.agency')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select showSearch={{ optionFilterProp: 'label' }} options={receiving.map((a) => ({ value: a.id, label: a.name }))} />
              </Form.Item>
            ) : receiving.length === 1 ? (
              <Typography.Paragraph>
                {t('submit.agency')}: <strong>{receiving[0]!.name}</strong>
              </Typography.Paragraph>
            ) : null}
            <Form.Item name="channel" label={t('intake.channel')}>
              <Radio.Group>
                <Radio value="in_person">{t('channel.in_person')}</Radio>
                <Radio value="post">{t('channel.post')}</Radio>
              </Radio.Group>
            </Form.Item>
            <h2 className="card-heading form-section">{t('intake.applicantSection')}</h2>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="name" label={t('fields.fullName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                  <Input maxLength={200} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="phone" label={t('fields.phone')} extra={t('intake.phoneHint')} rules={[{ pattern: /^\s*(0|\+84)[35789]\d{8}\s*$/, message: t('validation.phone') }]}>
                  <Input type="tel" maxLength={20} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="idNumber" label={t('intake.idNumber')} rules={[{ pattern: /^\s*(\d{12}|\d{10}|\d{13})\s*$/, message: t('intake.idNumberInvalid') }]}>
                  <Input inputMode="numeric" maxLength={20} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="email" label={t('fields.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
                  <Input type="email" maxLength={254} autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24}>
                <Form.Item name="address" label={t('fields.address')}>
                  <Input maxLength={500} autoComplete="off" />
                </Form.Item>
              </Col>
            </Row>
            <h2 className="card-heading form-section">{t('submit.stepDelivery')}</h2>
            <Form.Item name="deliveryMethod" label={t('submit.deliveryMethod')}>
              <Radio.Group>
                <Radio value="counter">{t('delivery.counter')}</Radio>
                <Radio value="post">{t('delivery.post')}</Radio>
                <Radio value="online">{t('delivery.online')}</Radio>
              </Radio.Group>
            </Form.Item>
            {deliveryMethod === 'post' ? (
              <Form.Item
                name="deliveryAddress"
                label={t('submit.postAddress')}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required') },
                  { min: 5, message: t('validation.minChars', { min: 5 }) },
                ]}
              >
                <Input maxLength={500} />
              </Form.Item>
            ) : null}
            {channel === 'post' ? <Typography.Paragraph className="muted">{t('intake.postNote')}</Typography.Paragraph> : null}
            <Button type="primary" htmlType="submit" loading={create.isPending} disabled={!!procedure.data && !procedureOk}>
              {t('intake.createDraft')}
            </Button>
          </Form>
        </Card>
      ) : (
        <Card>
          <h2 ref={headingRef} tabIndex={-1} className="card-heading form-section">
            {t('intake.papersSection')}
          </h2>
          <Typography.Paragraph>
            {t('intake.papersIntro', { name: draft.applicant.name ?? '', procedure: draft.procedure.name })}
          </Typography.Paragraph>
          <ol className="paper-list">
            {(procedure.data?.components ?? []).map((c, i) => {
              const mine = files.filter((f) => f.componentId === c.id);
              return (
                <li key={c.id} className="paper-item">
                  <h3 className="paper-name">{c.name}</h3>
                  <div className="component-meta">
                    <Tag>{t(`componentForm.${c.form}`)}</Tag>
                    <span>{t('procedure.quantity', { count: c.quantity })}</span>
                    {c.required ? <Tag color="#8c1d18">{t('procedure.required')}</Tag> : <Tag>{t('procedure.optional')}</Tag>}
                  </div>
                  {mine.length ? (
                    <ul className="uploaded-list">
                      {mine.map((f) => (
                        <li key={f.id}>
                          <CheckCircleOutlined aria-hidden className="ok-icon" /> {f.filename}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <FileUpload
                    dossierId={draft.id}
                    componentId={c.id}
                    label={t('intake.scanFor', { name: c.name })}
                    buttonText={t('intake.scan')}
                    testId={`intake-upload-${i}`}
                    onUploaded={(f) => setFiles((all) => [...all, f])}
                  />
                </li>
              );
            })}
          </ol>
          {procedure.data?.components.some((c) => c.required && !files.some((f) => f.componentId === c.id)) ? (
            <Alert type="info" showIcon title={t('intake.papersCheck')} style={{ marginBottom: 16 }} />
          ) : null}
          <ErrorAlert error={receive.error} />
          <Button type="primary" size="large" loading={receive.isPending} onClick={() => receive.mutate(draft)} data-testid="intake-receive">
            {t('intake.receive')}
          </Button>{' '}
          <Button onClick={restart}>{t('common.cancel')}</Button>
          <Typography.Paragraph className="muted" style={{ marginTop: 8 }}>
            {t('intake.receiveNote', { lng: i18n.language })}
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
