import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Descriptions, Empty, Form, Input, List, Modal, Radio, Result, Select, Space, Steps, Tag, Typography,
} from 'antd';
import { CheckCircleOutlined, DeleteOutlined, HistoryOutlined, SaveOutlined } from '@ant-design/icons';
import type Core from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Delivery, DossierDetail, DossierFile, DossierList, ProcedureDetail } from '@motcua/contracts';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useProcedure } from '../api/catalog';
import { api, ApiRequestError, newIdempotencyKey } from '../api/client';
import { dossierKey, MY_DOSSIERS_KEY, useDossier } from '../api/dossiers';
import { ErrorAlert, errorText } from '../components/ErrorAlert';
import { FileUpload } from '../components/FileUpload';
import { LinkButton } from '../components/LinkButton';
import { formAnswers, OnlineForm, type FormData } from '../components/OnlineForm';
import { Loading, PageTitle } from '../components/PageState';
import { formatBytes, formatDateTimeShort, formatMoney } from '../lib/format';
import type { Schema } from '../lib/json-schema';
import { localise } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';
import { NotFoundPage } from './NotFoundPage';
import { offeredOnline } from './ProcedurePage';

const AUTOSAVE_MS = 800;
type SaveState = { status: 'idle' | 'saving' | 'saved' | 'error' | 'needs_agency'; at?: string; error?: unknown };
type DeliveryForm = { method: Delivery['method']; address?: string };

/** Papers from my earlier dossiers that a reusable component may take instead of a new upload. */
function useReusableFiles(currentId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['me', 'reusable-files', currentId],
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      // The server has no list of "my papers"; read my recent dossiers one by one.
      const list = await api.get<DossierList>('/me/dossiers', { limit: 20, offset: 0 });
      const earlier = list.items.filter((d) => d.id !== currentId).slice(0, 10);
      const details = await Promise.all(earlier.map((d) => api.get<DossierDetail>(`/dossiers/${d.id}`).catch(() => null)));
      return details
        .filter((d): d is DossierDetail => !!d)
        .flatMap((d) =>
          d.files
            .filter((f) => f.kind === 'component' || f.kind === 'supplement')
            .map((f) => ({ file: f, dossierCode: d.code, procedureName: d.procedure.name, dossierId: d.id })),
        );
    },
  });
}

function ReuseModal({
  dossierId,
  component,
  onClose,
  onReused,
}: {
  dossierId: () => Promise<string>;
  component: ProcedureDetail['components'][number];
  onClose: () => void;
  onReused: (f: DossierFile) => void;
}) {
  const { t, i18n } = useTranslation();
  const [current, setCurrent] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void dossierId().then(setCurrent, setError);
  }, [dossierId]);
  const files = useReusableFiles(current, !!current);
  const items = useMemo(() => {
    const all = files.data ?? [];
    // Papers of the same component name first.
    return [...all.filter((x) => x.file.componentName === component.name), ...all.filter((x) => x.file.componentName !== component.name)];
  }, [files.data, component.name]);

  const reuse = async () => {
    if (!chosen || !current) return;
    setBusy(true);
    setError(null);
    try {
      const f = await api.post<DossierFile>(`/dossiers/${current}/files/reuse`, { componentId: component.id, fileId: chosen });
      onReused(f);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('submit.reuseTitle')}
      onCancel={onClose}
      okText={t('submit.reuseConfirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !chosen, loading: busy }}
      onOk={() => void reuse()}
      width={640}
    >
      <Typography.Paragraph>{t('submit.reuseFor', { name: component.name })}</Typography.Paragraph>
      <ErrorAlert error={error ?? files.error} />
      {files.isPending && current ? <Loading /> : null}
      {files.data && items.length === 0 ? <Empty description={t('submit.reuseNone')} /> : null}
      {items.length > 0 ? (
        <Radio.Group value={chosen} onChange={(e) => setChosen(e.target.value as string)} className="reuse-list" aria-label={t('submit.reuseTitle')}>
          {items.map(({ file, dossierCode, procedureName }) => (
            <Radio key={file.id} value={file.id} className="reuse-item">
              <strong>{file.filename}</strong> <span className="muted">({formatBytes(file.size, i18n.language)})</span>
              <div className="muted">
                {file.componentName ?? t('submit.otherPaper')} — {procedureName}
                {dossierCode ? ` (${dossierCode})` : ''}
              </div>
            </Radio>
          ))}
        </Radio.Group>
      ) : null}
    </Modal>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  const { t, i18n } = useTranslation();
  let text = '';
  if (state.status === 'saving') text = t('submit.saving');
  else if (state.status === 'saved') text = state.at ? t('submit.savedAt', { time: formatDateTimeShort(state.at) }) : t('submit.draftSaved');
  else if (state.status === 'error') text = `${t('submit.saveFailed')} ${errorText(state.error, i18n.language, t)}`;
  else if (state.status === 'needs_agency') text = t('submit.chooseAgencyToSave');
  return (
    <div className="save-indicator" role="status" aria-live="polite" data-testid="save-status" data-state={state.status}>
      {text ? (
        <>
          <SaveOutlined aria-hidden /> {text}
        </>
      ) : null}
    </div>
  );
}

function Wizard({ procedure, initial }: { procedure: ProcedureDetail; initial: DossierDetail | null }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [, setParams] = useSearchParams();
  const receiving = procedure.agencies.filter((a) => a.kind === 'receiving');
  const [dossierId, setDossierId] = useState<string | null>(initial?.id ?? null);
  const [agencyId, setAgencyId] = useState<string | null>(initial?.receivingAgency.id ?? (receiving.length === 1 ? receiving[0]!.id : null));
  const [formData, setFormData] = useState<FormData>((initial?.formData as FormData | undefined) ?? {});
  const [delivery, setDelivery] = useState<DeliveryForm>(
    initial?.delivery ? { method: initial.delivery.method, address: initial.delivery.address } : { method: 'online' },
  );
  const [files, setFiles] = useState<DossierFile[]>(initial?.files ?? []);
  const [step, setStep] = useState(0);
  const [save, setSave] = useState<SaveState>({ status: initial ? 'saved' : 'idle', at: undefined });
  const [liveValidate, setLiveValidate] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [reuseFor, setReuseFor] = useState<ProcedureDetail['components'][number] | null>(null);
  const [submitted, setSubmitted] = useState<DossierDetail | null>(null);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [declared, setDeclared] = useState(false);
  const [agencyMissing, setAgencyMissing] = useState(false);
  const formRef = useRef<Core<FormData, RJSFSchema>>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [deliveryForm] = Form.useForm<DeliveryForm>();
  const agencyLabel = useId();

  // One key per draft creation and per submission; a retry after a network failure reuses it.
  const createKey = useRef(newIdempotencyKey());
  const submitKey = useRef(newIdempotencyKey());
  const creating = useRef<Promise<string> | null>(null);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ formData, delivery });
  latest.current = { formData, delivery };

  const idRef = useRef<string | null>(initial?.id ?? null);

  const ensureDraft = useCallback(async (): Promise<string> => {
    if (idRef.current) return idRef.current;
    if (!agencyId) throw new Error('needs_agency');
    if (!creating.current) {
      creating.current = api
        .post<DossierDetail>(
          '/dossiers',
          { procedureId: procedure.id, agencyId, formData: latest.current.formData, delivery: toDelivery(latest.current.delivery) },
          { headers: { 'idempotency-key': createKey.current } },
        )
        .then((d) => {
          idRef.current = d.id;
          setDossierId(d.id);
          setParams({ dossier: d.id }, { replace: true });
          void queryClient.invalidateQueries({ queryKey: MY_DOSSIERS_KEY });
          setSave({ status: 'saved', at: new Date().toISOString() });
          return d.id;
        })
        .catch((err: unknown) => {
          creating.current = null;
          if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500) createKey.current = newIdempotencyKey();
          throw err;
        });
    }
    return creating.current;
  }, [agencyId, procedure.id, setParams, queryClient]);

  const saveNow = useCallback(async (): Promise<boolean> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (!dirty.current) return true;
    if (!agencyId && !idRef.current) {
      setSave({ status: 'needs_agency' });
      return false;
    }
    setSave({ status: 'saving' });
    dirty.current = false;
    try {
      const existing = idRef.current;
      // A new draft is created with the current answers; an existing one is updated.
      const id = await ensureDraft();
      if (existing) await api.patch<DossierDetail>(`/dossiers/${id}`, { formData: latest.current.formData, delivery: toDelivery(latest.current.delivery) });
      setSave({ status: 'saved', at: new Date().toISOString() });
      return true;
    } catch (err) {
      dirty.current = true;
      setSave({ status: 'error', error: err });
      return false;
    }
  }, [agencyId, ensureDraft]);

  // The timer calls the latest saveNow (it reads state chosen after the timer was set).
  const saveRef = useRef(saveNow);
  saveRef.current = saveNow;
  const changed = () => {
    dirty.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), AUTOSAVE_MS);
  };

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const goTo = (next: number) => {
    setStep(next);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const schema = procedure.onlineForm?.schema as Schema | undefined;
  const components = procedure.components;
  const filesOf = (componentId: string) => files.filter((f) => f.componentId === componentId);

  const nextFromForm = async () => {
    if (!agencyId) {
      setAgencyMissing(true);
      setSave({ status: 'needs_agency' });
      return;
    }
    if (schema && formRef.current && !formRef.current.validateForm()) {
      setLiveValidate(true);
      return;
    }
    dirty.current = true;
    if (await saveNow()) goTo(1);
  };

  const nextFromPapers = () => {
    const lacking = components.filter((c) => c.required && filesOf(c.id).length === 0).map((c) => c.name);
    setMissing(lacking);
    if (lacking.length === 0) goTo(2);
  };

  const nextFromDelivery = async () => {
    try {
      await deliveryForm.validateFields();
    } catch {
      return;
    }
    dirty.current = true;
    if (await saveNow()) goTo(3);
  };

  const removeFile = async (f: DossierFile) => {
    if (!dossierId) return;
    try {
      await api.delete<void>(`/dossiers/${dossierId}/files/${f.id}`);
      setFiles((all) => all.filter((x) => x.id !== f.id));
      void message.success(t('submit.removed', { name: f.filename }));
    } catch (err) {
      void message.error(errorText(err, i18n.language, t));
    }
  };

  const submit = async () => {
    if (!dossierId) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      if (!(await saveNow())) return;
      const d = await api.post<DossierDetail>(`/dossiers/${dossierId}/submit`, {}, { headers: { 'idempotency-key': submitKey.current } });
      queryClient.setQueryData(dossierKey(d.id), d);
      void queryClient.invalidateQueries({ queryKey: MY_DOSSIERS_KEY });
      setSubmitted(d);
      setParams({}, { replace: true });
      requestAnimationFrame(() => headingRef.current?.focus());
    } catch (err) {
      // A refusal will be refused again: the next attempt is a new request.
      if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500) submitKey.current = newIdempotencyKey();
      setSubmitError(err);
    } finally {
      setSubmitting(false);
    }
  };

  if (submitted) {
    const agency = submitted.receivingAgency;
    return (
      <Result
        status="success"
        icon={<CheckCircleOutlined aria-hidden />}
        title={
          <h2 ref={headingRef} tabIndex={-1} className="result-heading" data-testid="submitted-title">
            {t('submit.doneTitle')}
          </h2>
        }
        subTitle={
          <>
            <p>{t('submit.doneText', { agency: i18n.language === 'en' && agency.nameEn ? agency.nameEn : agency.name })}</p>
            <p>{t('submit.doneNext')}</p>
            <p>{t('submit.submittedAt', { time: formatDateTimeShort(submitted.submittedAt) })}</p>
          </>
        }
        extra={[
          <LinkButton key="view" type="primary" to={`/me/dossiers/${submitted.id}`}>
            {t('submit.viewDossier')}
          </LinkButton>,
          <LinkButton key="all" to="/me/dossiers">
            {t('myDossiers.title')}
          </LinkButton>,
        ]}
      />
    );
  }

  const stepTitles = [t('submit.stepForm'), t('submit.stepPapers'), t('submit.stepDelivery'), t('submit.stepReview')];
  const agency = receiving.find((a) => a.id === agencyId);
  const answers = formAnswers(schema, formData);
  const serverFieldErrors =
    submitError instanceof ApiRequestError ? submitError.fields.map((f) => localise(f.message, i18n.language)) : [];

  return (
    <>
      <div aria-hidden className="submit-steps">
        <Steps current={step} size="small" items={stepTitles.map((title) => ({ title }))} />
      </div>
      <div className="step-header">
        <h2 ref={headingRef} tabIndex={-1} className="step-heading" data-testid="step-heading">
          {t('submit.stepOf', { n: step + 1, total: stepTitles.length, title: stepTitles[step] })}
        </h2>
        <SaveIndicator state={save} />
      </div>

      {step === 0 ? (
        <Card>
          {receiving.length > 1 ? (
            <div className="inline-field agency-choice">
              <span id={agencyLabel}>
                {t('submit.agency')} <span className="required-star" aria-hidden>*</span>
              </span>
              <Select
                aria-labelledby={agencyLabel}
                aria-required
                value={agencyId ?? undefined}
                disabled={!!dossierId}
                onChange={(v) => {
                  setAgencyId(v);
                  setAgencyMissing(false);
                  changed();
                }}
                status={agencyMissing ? 'error' : undefined}
                aria-invalid={agencyMissing}
                aria-describedby={agencyMissing ? `${agencyLabel}-error` : undefined}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('submit.agencyPlaceholder')}
                options={receiving.map((a) => ({ value: a.id, label: a.name }))}
                style={{ width: '100%', maxWidth: 520 }}
              />
              {agencyMissing ? (
                <div id={`${agencyLabel}-error`} role="alert" className="field-error">
                  {t('submit.chooseAgency')}
                </div>
              ) : null}
              <Typography.Paragraph className="muted">{dossierId ? t('submit.agencyFixed') : t('submit.agencyHint')}</Typography.Paragraph>
            </div>
          ) : (
            <Typography.Paragraph>
              {t('submit.agency')}: <strong>{receiving[0]?.name}</strong>
            </Typography.Paragraph>
          )}
          {schema ? (
            <>
              <Typography.Paragraph>{t('submit.formIntro')}</Typography.Paragraph>
              <OnlineForm
                ref={formRef}
                schema={schema}
                uiSchema={procedure.onlineForm?.uiSchema}
                formData={formData}
                liveValidate={liveValidate}
                onChange={(data) => {
                  setFormData(data);
                  changed();
                }}
              />
            </>
          ) : (
            <Alert type="info" showIcon title={t('submit.noForm')} />
          )}
          <div className="step-actions">
            <Button type="primary" onClick={() => void nextFromForm()}>
              {t('submit.next')}
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 1 ? (
        <Card>
          <Typography.Paragraph>{t('submit.papersIntro')}</Typography.Paragraph>
          {missing.length ? (
            <Alert
              type="error"
              role="alert"
              showIcon
              title={t('submit.missingPapers')}
              description={
                <ul className="plain-list compact">
                  {missing.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              }
              style={{ marginBottom: 16 }}
            />
          ) : null}
          {components.length === 0 ? <Typography.Paragraph>{t('procedure.noComponents')}</Typography.Paragraph> : null}
          <ol className="paper-list">
            {components.map((c, i) => {
              const mine = filesOf(c.id);
              return (
                <li key={c.id} className="paper-item" data-testid={`paper-${i}`}>
                  <h3 className="paper-name">{c.name}</h3>
                  <div className="component-meta">
                    <Tag>{t(`componentForm.${c.form}`)}</Tag>
                    {c.required ? <Tag color="#8c1d18">{t('procedure.required')}</Tag> : <Tag>{t('procedure.optional')}</Tag>}
                    {c.template ? (
                      <a href={c.template.url} download>
                        {t('procedure.downloadTemplate', { name: c.template.filename })}
                      </a>
                    ) : null}
                  </div>
                  {mine.length ? (
                    <ul className="uploaded-list">
                      {mine.map((f) => (
                        <li key={f.id}>
                          <CheckCircleOutlined aria-hidden className="ok-icon" /> <span className="file-name">{f.filename}</span>{' '}
                          <span className="muted">({formatBytes(f.size, i18n.language)})</span>{' '}
                          <Button
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined aria-hidden />}
                            aria-label={t('submit.removeFile', { name: f.filename })}
                            onClick={() => void removeFile(f)}
                          />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <Space wrap align="start">
                    <FileUpload
                      dossierId={ensureDraft}
                      componentId={c.id}
                      label={t('submit.uploadFor', { name: c.name })}
                      testId={`upload-${i}`}
                      onUploaded={(f) => {
                        setFiles((all) => [...all, f]);
                        setMissing((m) => m.filter((x) => x !== c.name));
                      }}
                    />
                    {c.reusable ? (
                      <Button icon={<HistoryOutlined aria-hidden />} onClick={() => setReuseFor(c)} aria-label={t('submit.reuseFor', { name: c.name })}>
                        {t('submit.reuse')}
                      </Button>
                    ) : null}
                  </Space>
                </li>
              );
            })}
          </ol>
          <div className="step-actions">
            <Button onClick={() => goTo(0)}>{t('submit.back')}</Button>
            <Button type="primary" onClick={nextFromPapers}>
              {t('submit.next')}
            </Button>
          </div>
        </Card>
      ) : null}

      {step === 2 ? (
        <Card>
          <Form<DeliveryForm>
            form={deliveryForm}
            layout="vertical"
            noValidate
            initialValues={delivery}
            onValuesChange={(_, all) => {
              setDelivery({ method: all.method, address: all.address });
              changed();
            }}
            onFinish={() => void nextFromDelivery()}
          >
            <Form.Item name="method" label={t('submit.deliveryMethod')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group className="vertical-radios">
                <Radio value="online">{t('delivery.online')}</Radio>
                <Radio value="counter">{t('delivery.counter')}</Radio>
                <Radio value="post">{t('delivery.post')}</Radio>
              </Radio.Group>
            </Form.Item>
            {delivery.method === 'post' ? (
              <Form.Item
                name="address"
                label={t('submit.postAddress')}
                extra={t('submit.postAddressHint')}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required') },
                  { min: 5, message: t('validation.minChars', { min: 5 }) },
                ]}
              >
                <Input.TextArea rows={2} maxLength={500} autoComplete="street-address" />
              </Form.Item>
            ) : null}
            <div className="step-actions">
              <Button onClick={() => goTo(1)}>{t('submit.back')}</Button>
              <Button type="primary" htmlType="submit">
                {t('submit.next')}
              </Button>
            </div>
          </Form>
        </Card>
      ) : null}

      {step === 3 ? (
        <Card>
          <Typography.Paragraph>{t('submit.reviewIntro')}</Typography.Paragraph>
          <section aria-labelledby="review-general" className="review-section">
            <div className="review-head">
              <h3 id="review-general">{t('submit.reviewGeneral')}</h3>
            </div>
            <Descriptions column={1} bordered size="small" styles={{ label: { width: '35%' } }}>
              <Descriptions.Item label={t('dossier.procedure')}>{procedure.name}</Descriptions.Item>
              <Descriptions.Item label={t('submit.agency')}>{agency?.name}</Descriptions.Item>
              <Descriptions.Item label={t('procedure.fees')}>
                {procedure.feeTotal > 0 ? `${formatMoney(procedure.feeTotal)} — ${t('submit.feeNote')}` : t('procedure.free')}
              </Descriptions.Item>
            </Descriptions>
          </section>
          <section aria-labelledby="review-form" className="review-section">
            <div className="review-head">
              <h3 id="review-form">{t('submit.stepForm')}</h3>
              <Button size="small" onClick={() => goTo(0)} aria-label={t('submit.changeSection', { section: t('submit.stepForm') })}>
                {t('common.edit')}
              </Button>
            </div>
            {answers.length ? (
              <Descriptions column={1} bordered size="small" styles={{ label: { width: '35%' } }} data-testid="review-answers">
                {answers.map((a) => (
                  <Descriptions.Item key={a.key} label={a.label}>
                    {a.value}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : (
              <Typography.Paragraph>{t('submit.noAnswers')}</Typography.Paragraph>
            )}
          </section>
          <section aria-labelledby="review-papers" className="review-section">
            <div className="review-head">
              <h3 id="review-papers">{t('submit.stepPapers')}</h3>
              <Button size="small" onClick={() => goTo(1)} aria-label={t('submit.changeSection', { section: t('submit.stepPapers') })}>
                {t('common.edit')}
              </Button>
            </div>
            <List
              size="small"
              bordered
              dataSource={components}
              renderItem={(c) => {
                const mine = filesOf(c.id);
                return (
                  <List.Item>
                    <div>
                      <div>{c.name}</div>
                      <div className="muted">{mine.length ? mine.map((f) => f.filename).join(', ') : c.required ? t('submit.notAttached') : t('submit.notAttachedOptional')}</div>
                    </div>
                  </List.Item>
                );
              }}
            />
          </section>
          <section aria-labelledby="review-delivery" className="review-section">
            <div className="review-head">
              <h3 id="review-delivery">{t('submit.stepDelivery')}</h3>
              <Button size="small" onClick={() => goTo(2)} aria-label={t('submit.changeSection', { section: t('submit.stepDelivery') })}>
                {t('common.edit')}
              </Button>
            </div>
            <Typography.Paragraph>
              {t(`delivery.${delivery.method}`)}
              {delivery.method === 'post' && delivery.address ? `: ${delivery.address}` : ''}
            </Typography.Paragraph>
          </section>
          <ErrorAlert error={submitError} extra={serverFieldErrors} />
          <Checkbox checked={declared} onChange={(e) => setDeclared(e.target.checked)} className="declaration">
            {t('submit.declaration')}
          </Checkbox>
          <div className="step-actions">
            <Button onClick={() => goTo(2)}>{t('submit.back')}</Button>
            <Button type="primary" size="large" disabled={!declared} loading={submitting} onClick={() => void submit()} data-testid="submit-dossier">
              {t('submit.submit')}
            </Button>
          </div>
        </Card>
      ) : null}
      {reuseFor ? (
        <ReuseModal
          dossierId={ensureDraft}
          component={reuseFor}
          onClose={() => setReuseFor(null)}
          onReused={(f) => {
            setFiles((all) => [...all, f]);
            setMissing((m) => m.filter((x) => x !== reuseFor.name));
          }}
        />
      ) : null}
    </>
  );
}

/** A postal address is sent once it is long enough to be one (the server checks it again on submit). */
function toDelivery(d: DeliveryForm): Delivery {
  const address = d.address?.trim();
  return d.method === 'post' && address && address.length >= 5 ? { method: 'post', address } : { method: d.method };
}

export function SubmitPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const draftId = params.get('dossier') ?? undefined;
  const procedure = useProcedure(id);
  const draft = useDossier(draftId);
  // The wizard keeps its state across the URL change that records a new draft's id.
  const [wizardDraft, setWizardDraft] = useState<DossierDetail | null | undefined>(draftId ? undefined : null);
  useEffect(() => {
    if (wizardDraft === undefined && draft.data) setWizardDraft(draft.data);
  }, [draft.data, wizardDraft]);
  const p = procedure.data;
  useDocumentTitle(p ? t('submit.titleFor', { name: p.name }) : t('submit.title'));

  if (procedure.error instanceof ApiRequestError && procedure.error.status === 404) return <NotFoundPage />;
  if (procedure.error) return <ErrorAlert error={procedure.error} />;
  if (draftId && draft.error && wizardDraft === undefined) return <ErrorAlert error={draft.error} />;
  if (!p || wizardDraft === undefined) return <Loading />;

  return (
    <div className="submit-page">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to={`/procedures/${p.id}`}>{p.name}</Link> <span aria-hidden>›</span> <span>{t('submit.title')}</span>
      </nav>
      <PageTitle>{t('submit.title')}</PageTitle>
      <Typography.Paragraph className="lead">{p.name}</Typography.Paragraph>
      {!offeredOnline(p) ? (
        <Alert type="warning" showIcon title={t('procedure.notOnline')} />
      ) : wizardDraft && wizardDraft.status !== 'draft' ? (
        <Alert
          type="info"
          showIcon
          title={t('submit.alreadySubmitted')}
          action={<LinkButton to={`/me/dossiers/${wizardDraft.id}`}>{t('submit.viewDossier')}</LinkButton>}
        />
      ) : wizardDraft && wizardDraft.procedure.id !== p.id ? (
        <NotFoundPage />
      ) : (
        <Wizard procedure={p} initial={wizardDraft} />
      )}
    </div>
  );
}
