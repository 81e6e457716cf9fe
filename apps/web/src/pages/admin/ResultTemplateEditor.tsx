import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, Form, Input, Popconfirm, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, EyeOutlined, HistoryOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ResultPlaceholder, ResultTemplate, ResultTemplateInput, ResultTemplateState } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { previewResultTemplate, removeResultTemplate, resultTemplateKey, saveResultTemplate, useResultTemplate } from '../../api/results';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDateTime } from '../../lib/format';
import { localise, useServerFieldErrors } from '../../lib/server-errors';

type TemplateForm = { title: string; body: string; signerTitle: string; numberSuffix: string };
type HistoryEntry = ResultTemplateState['history'][number];
/** The fields a placeholder may be inserted into. */
type Target = 'title' | 'body';

const FORM_NAME = 'resultTemplate';
const FIELDS = ['title', 'body', 'signerTitle', 'numberSuffix'] as const;
const fieldId = (name: (typeof FIELDS)[number]) => `${FORM_NAME}_${name}`;

const toForm = (t: Pick<ResultTemplate, 'title' | 'body' | 'signerTitle' | 'numberSuffix'> | null): TemplateForm => ({
  title: t?.title ?? '',
  body: t?.body ?? '',
  signerTitle: t?.signerTitle ?? '',
  numberSuffix: t?.numberSuffix ?? '',
});

const toBody = (v: TemplateForm): ResultTemplateInput => ({
  title: (v.title ?? '').trim(),
  body: (v.body ?? '').trim(),
  signerTitle: (v.signerTitle ?? '').trim(),
  numberSuffix: v.numberSuffix?.trim() ? v.numberSuffix.trim() : null,
});

/** The `{{key}}` chips: a click inserts the placeholder at the cursor of the title or the body (whichever had the focus last). */
function PlaceholderChips({ placeholders, onInsert }: { placeholders: ResultPlaceholder[]; onInsert: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="result-template-placeholders" className="result-template-placeholders" style={{ marginBottom: 24 }}>
      <h3 id="result-template-placeholders" className="sub-heading">
        {t('resultTemplates.placeholders')}
      </h3>
      <Typography.Paragraph className="muted">{t('resultTemplates.placeholdersHint')}</Typography.Paragraph>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexWrap: 'wrap', gap: 8 }} data-testid="result-template-placeholders">
        {placeholders.map((p) => {
          const label = localise(p.label, i18n.language);
          return (
            <li key={p.key}>
              <Button
                size="small"
                shape="round"
                onClick={() => onInsert(p.key)}
                data-key={p.key}
                style={{ height: 'auto', minHeight: 28, whiteSpace: 'normal', textAlign: 'left' }}
              >
                <span>
                  <span className="visually-hidden">{t('resultTemplates.insert')} </span>
                  {label} <code>{`{{${p.key}}}`}</code>
                </span>
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function VersionHistory({ state, onRestore }: { state: ResultTemplateState; onRestore: (h: HistoryEntry) => void }) {
  const { t } = useTranslation();
  const current = state.template?.version ?? null;
  const columns: TableColumnsType<HistoryEntry> = [
    {
      title: t('resultTemplates.history.version'),
      key: 'version',
      width: 150,
      render: (_, h) => (
        <Space size={4} wrap>
          <span>{t('resultTemplates.history.versionN', { version: h.version })}</span>
          {h.version === current ? <Tag color="#1e6b34">{t('resultTemplates.history.current')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('resultTemplates.history.by'), key: 'by', render: (_, h) => h.changedBy ?? t('resultTemplates.history.system') },
    { title: t('resultTemplates.history.at'), key: 'at', width: 170, render: (_, h) => formatDateTime(h.updatedAt) },
    { title: t('resultTemplates.fields.title'), key: 'title', render: (_, h) => h.title },
    {
      title: t('resultTemplates.history.actions'),
      key: 'restore',
      width: 200,
      render: (_, h) => (
        <Button size="small" icon={<HistoryOutlined aria-hidden />} onClick={() => onRestore(h)} aria-label={t('resultTemplates.history.restoreN', { version: h.version })}>
          {t('resultTemplates.history.restore')}
        </Button>
      ),
    },
  ];
  return (
    <section aria-labelledby="result-template-history" style={{ marginTop: 32 }}>
      <h3 id="result-template-history" className="sub-heading">
        {t('resultTemplates.history.title')}
      </h3>
      {state.history.length ? (
        <ScrollRegion label={t('resultTemplates.history.title')} minWidth={760}>
          <Table<HistoryEntry>
            rowKey="version"
            size="small"
            columns={columns}
            dataSource={state.history}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="result-template-history"
          />
        </ScrollRegion>
      ) : (
        <Typography.Paragraph className="muted">{t('resultTemplates.history.empty')}</Typography.Paragraph>
      )}
    </section>
  );
}

function Editor({ procedureId, state }: { procedureId: string; state: ResultTemplateState }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [form] = Form.useForm<TemplateForm>();
  const target = useRef<Target>('body');
  const focused = useRef<Set<Target>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  const [serverError, setServerError] = useState<unknown>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const template = state.template;

  // The preview's blob URL lives until the next preview or until the editor goes away.
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  const setState = (next: ResultTemplateState) => queryClient.setQueryData(resultTemplateKey(procedureId), next);

  const save = useMutation({
    mutationFn: (body: ResultTemplateInput) => saveResultTemplate(procedureId, body),
    onMutate: () => setServerError(null),
    onError: setServerError,
    onSuccess: (next) => {
      setState(next);
      form.setFieldsValue(toForm(next.template));
      void message.success(t('resultTemplates.saved', { version: next.template?.version }));
    },
  });
  const remove = useMutation({
    mutationFn: () => removeResultTemplate(procedureId),
    onMutate: () => setServerError(null),
    onError: setServerError,
    onSuccess: (next) => {
      setState(next);
      void message.success(t('resultTemplates.removed'));
    },
  });
  const previewing = useMutation({
    mutationFn: (body: ResultTemplateInput) => previewResultTemplate(procedureId, body, me?.csrfToken),
    onMutate: () => setServerError(null),
    onError: setServerError,
    onSuccess: (blob) => {
      // Downloaded rather than opened in a tab: the site's content security policy (object-src
      // 'none') follows a blob: page and would keep the browser's PDF viewer out of it; a
      // download opens in the device's PDF viewer, phones included.
      const url = URL.createObjectURL(blob);
      setPreview(url);
      const a = document.createElement('a');
      a.href = url;
      a.download = t('resultTemplates.previewFile');
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  });
  const otherErrors = useServerFieldErrors(form, serverError, FIELDS);

  const insert = (key: string) => {
    const field = target.current;
    const token = `{{${key}}}`;
    const el = document.getElementById(fieldId(field)) as HTMLInputElement | HTMLTextAreaElement | null;
    const value = String(form.getFieldValue(field) ?? '');
    // The cursor of a field the admin has been in; otherwise at the end.
    const start = el && focused.current.has(field) && el.selectionStart !== null ? el.selectionStart : value.length;
    const end = el && focused.current.has(field) && el.selectionEnd !== null ? el.selectionEnd : start;
    form.setFieldValue(field, value.slice(0, start) + token + value.slice(end));
    void form.validateFields([field]).catch(() => undefined);
    const caret = start + token.length;
    window.requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
    setAnnouncement(t('resultTemplates.inserted', { token, field: t(`resultTemplates.fields.${field}`) }));
  };

  const restore = (h: HistoryEntry) => {
    form.setFieldsValue(toForm(h));
    setServerError(null);
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    setAnnouncement(t('resultTemplates.restored', { version: h.version }));
    void message.info(t('resultTemplates.restored', { version: h.version }));
    const title = document.getElementById(fieldId('title'));
    title?.scrollIntoView({ block: 'center' });
    title?.focus();
  };

  const runPreview = async () => {
    try {
      previewing.mutate(toBody(await form.validateFields()));
    } catch {
      // The fields show what is missing.
    }
  };

  const track = (field: Target) => ({
    onFocus: () => {
      target.current = field;
      focused.current.add(field);
    },
  });

  const required = { required: true, whitespace: true, message: t('resultTemplates.errors.required') };

  return (
    <div data-testid="result-template-editor">
      <section aria-labelledby="result-template-heading">
        <h2 id="result-template-heading" className="card-heading">
          {t('resultTemplates.heading')}
        </h2>
        <Typography.Paragraph>{t('resultTemplates.intro')}</Typography.Paragraph>
        {template ? (
          <Alert
            type="success"
            showIcon
            data-testid="result-template-status"
            title={t('resultTemplates.statusActive', { version: template.version, at: formatDateTime(template.updatedAt) })}
            style={{ marginBottom: 16 }}
          />
        ) : (
          <Alert type="info" showIcon data-testid="result-template-status" title={t('resultTemplates.statusNone')} style={{ marginBottom: 16 }} />
        )}
        <Form<TemplateForm>
          form={form}
          name={FORM_NAME}
          layout="vertical"
          noValidate
          initialValues={toForm(template)}
          onFinish={(v) => save.mutate(toBody(v))}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} lg={16}>
              <Form.Item name="title" label={t('resultTemplates.fields.title')} extra={t('resultTemplates.hints.title')} rules={[required, { min: 3, max: 300, message: t('resultTemplates.errors.titleLength') }]}>
                <Input maxLength={300} {...track('title')} />
              </Form.Item>
            </Col>
            <Col xs={24} lg={8}>
              <Form.Item name="numberSuffix" label={t('resultTemplates.fields.numberSuffix')} extra={t('resultTemplates.hints.numberSuffix')} rules={[{ max: 50, message: t('resultTemplates.errors.suffixLength') }]}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="body"
            label={t('resultTemplates.fields.body')}
            extra={
              <div id="result-template-syntax">
                <span>{t('resultTemplates.syntax.intro')}</span>
                <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                  <li>{t('resultTemplates.syntax.paragraph')}</li>
                  <li>
                    <code>- </code> {t('resultTemplates.syntax.item')}
                  </li>
                  <li>
                    <code>{t('resultTemplates.syntax.labelExample')}</code> {t('resultTemplates.syntax.label')}
                  </li>
                  <li>
                    <code>{'{{applicant.name}}'}</code> {t('resultTemplates.syntax.placeholder')}
                  </li>
                </ul>
              </div>
            }
            rules={[required, { max: 20000, message: t('resultTemplates.errors.bodyLength') }]}
          >
            <Input.TextArea autoSize={{ minRows: 10, maxRows: 30 }} maxLength={20000} spellCheck={false} {...track('body')} />
          </Form.Item>
          <PlaceholderChips placeholders={state.placeholders} onInsert={insert} />
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Form.Item
                name="signerTitle"
                label={t('resultTemplates.fields.signerTitle')}
                extra={t('resultTemplates.hints.signerTitle')}
                rules={[required, { min: 2, max: 200, message: t('resultTemplates.errors.signerLength') }]}
              >
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={200} />
              </Form.Item>
            </Col>
          </Row>
          <div aria-live="polite" className="visually-hidden" data-testid="result-template-announcement">
            {announcement}
          </div>
          <div className="form-footer">
            <ErrorAlert error={serverError} extra={otherErrors} />
            <Space wrap>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined aria-hidden />} loading={save.isPending} data-testid="save-result-template">
                {t('resultTemplates.save')}
              </Button>
              <Button icon={<EyeOutlined aria-hidden />} onClick={() => void runPreview()} loading={previewing.isPending} data-testid="preview-result-template">
                {t('resultTemplates.preview')}
              </Button>
              {template ? (
                <Popconfirm
                  title={t('resultTemplates.removeConfirmTitle')}
                  description={t('resultTemplates.removeConfirm')}
                  okText={t('resultTemplates.removeOk')}
                  okButtonProps={{ danger: true, loading: remove.isPending }}
                  cancelText={t('resultTemplates.cancel')}
                  onConfirm={() => remove.mutate()}
                >
                  <Button danger icon={<DeleteOutlined aria-hidden />} loading={remove.isPending}>
                    {t('resultTemplates.remove')}
                  </Button>
                </Popconfirm>
              ) : null}
            </Space>
            {preview ? (
              <Typography.Paragraph style={{ marginTop: 12 }} data-testid="result-template-preview-ready">
                {t('resultTemplates.previewReady')}{' '}
                <a href={preview} download={t('resultTemplates.previewFile')}>
                  {t('resultTemplates.previewDownload')}
                </a>
              </Typography.Paragraph>
            ) : null}
          </div>
        </Form>
      </section>
      <VersionHistory state={state} onRestore={restore} />
    </div>
  );
}

/**
 * The result template (mẫu kết quả) of a procedure: the document approval generates from the
 * dossier's data and signs when no official attached a result. Not part of the procedure form.
 */
export function ResultTemplateEditor({ procedureId }: { procedureId: string }) {
  const state = useResultTemplate(procedureId);
  if (state.isPending) return <Loading />;
  if (!state.data) return <ErrorAlert error={state.error} />;
  return <Editor procedureId={procedureId} state={state.data} />;
}
