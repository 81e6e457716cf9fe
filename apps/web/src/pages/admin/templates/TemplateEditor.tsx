import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Popconfirm, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { RollbackOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import type { NotifyTemplate, TemplateHistory, TemplatePreview } from '@motcua/contracts';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../../api/client';
import {
  fieldMessages,
  useResetTemplate,
  useSaveTemplate,
  useTemplateHistory,
  useTemplatePreview,
  type TemplateKey,
} from '../../../api/notify';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Loading } from '../../../components/PageState';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { formatDateTimeShort } from '../../../lib/format';
import { useServerFieldErrors } from '../../../lib/server-errors';
import { CHANNELS, LOCALES, editSearch } from './keys';

type Values = { subject?: string; body?: string };
type HistoryEntry = TemplateHistory['items'][number];

/** A Vietnamese SMS travels as UCS-2: 70 characters alone, 67 per part once split (GSM 7-bit: 160 / 153). */
const SMS_MAX_PARTS = 6;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Links to the other templates of the same event (channel × language). */
function SiblingNav({ template, siblings }: { template: NotifyTemplate; siblings: NotifyTemplate[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('notifyAdmin.templates.siblingsLabel')} className="section-card">
      <ul className="plain-list compact">
        {CHANNELS.filter((c) => siblings.some((s) => s.channel === c)).map((channel) => (
          <li key={channel}>
            <strong>{t(`notifyAdmin.channel.${channel}`)}:</strong>{' '}
            {LOCALES.filter((l) => siblings.some((s) => s.channel === channel && s.locale === l)).map((locale) => {
              const current = channel === template.channel && locale === template.locale;
              return (
                <span key={locale} style={{ marginRight: 12, whiteSpace: 'nowrap' }}>
                  {current ? (
                    <strong aria-current="page">{t(`notifyAdmin.locale.${locale}`)}</strong>
                  ) : (
                    <Link to={{ search: editSearch({ event: template.event, channel, locale }) }}>
                      {t(`notifyAdmin.locale.${locale}`)}
                      <span className="visually-hidden"> — {t(`notifyAdmin.channel.${channel}`)}</span>
                    </Link>
                  )}
                </span>
              );
            })}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function SmsFacts({ sms }: { sms: NonNullable<TemplatePreview['sms']> }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginTop: 12 }}>
      <p role="status" data-testid="sms-facts" className="text-line">
        <strong>
          {t('notifyAdmin.preview.smsFacts', {
            characters: sms.characters,
            encoding: t(`notifyAdmin.preview.encoding.${sms.encoding}`),
          })}{' '}
          <span data-testid="sms-parts">{t('notifyAdmin.preview.smsParts', { count: sms.parts })}</span>
        </strong>
      </p>
      <Typography.Paragraph type="secondary" className="text-line">
        {t(`notifyAdmin.preview.encodingHelp.${sms.encoding}`)}
      </Typography.Paragraph>
      {sms.parts > SMS_MAX_PARTS ? (
        <Alert type="warning" showIcon title={t('notifyAdmin.preview.tooLong', { max: SMS_MAX_PARTS })} />
      ) : null}
    </div>
  );
}

function PreviewCard({ k, text }: { k: TemplateKey; text: { subject?: string; body: string } }) {
  const { t, i18n } = useTranslation();
  const preview = useTemplatePreview(k, text);
  return (
    <Card title={<h2 className="card-heading">{t('notifyAdmin.preview.title')}</h2>} className="section-card">
      <Typography.Paragraph type="secondary">{t('notifyAdmin.preview.help')}</Typography.Paragraph>
      {preview.error ? (
        <ErrorAlert error={preview.error} extra={fieldMessages(preview.error, i18n.language)} />
      ) : preview.data ? (
        <div data-testid="template-preview" aria-busy={preview.isFetching}>
          {preview.data.subject !== null ? (
            <p className="text-line">
              <strong>{t('notifyAdmin.fields.subject')}:</strong> <span data-testid="preview-subject">{preview.data.subject}</span>
            </p>
          ) : null}
          <div
            data-testid="preview-body"
            style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', border: '1px solid #d9d9d9', borderRadius: 8, padding: 12, background: '#fafafa' }}
          >
            {preview.data.body || <em>{t('notifyAdmin.preview.empty')}</em>}
          </div>
          {preview.data.sms ? <SmsFacts sms={preview.data.sms} /> : null}
        </div>
      ) : (
        <Loading />
      )}
    </Card>
  );
}

function HistoryCard({ k, onReuse }: { k: TemplateKey; onReuse: (e: HistoryEntry) => void }) {
  const { t } = useTranslation();
  const history = useTemplateHistory(k);
  const columns: TableColumnsType<HistoryEntry> = [
    { title: t('notifyAdmin.history.version'), dataIndex: 'version', key: 'version', width: 90 },
    { title: t('notifyAdmin.history.changedAt'), key: 'at', width: 150, render: (_, e) => formatDateTimeShort(e.changedAt) },
    { title: t('notifyAdmin.history.changedBy'), key: 'by', width: 180, render: (_, e) => e.changedBy ?? t('notifyAdmin.history.system') },
    {
      title: t('notifyAdmin.history.content'),
      key: 'content',
      render: (_, e) =>
        e.body === null ? (
          <Tag color="#595959">{t('notifyAdmin.history.reset')}</Tag>
        ) : (
          <>
            {e.subject ? (
              <div>
                <strong>{e.subject}</strong>
              </div>
            ) : null}
            <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{e.body}</div>
          </>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, e) =>
        e.body === null ? null : (
          <Button size="small" onClick={() => onReuse(e)}>
            {t('notifyAdmin.history.reuse')}
            <span className="visually-hidden"> {t('notifyAdmin.history.reuseVersion', { version: e.version })}</span>
          </Button>
        ),
    },
  ];
  return (
    <Card title={<h2 className="card-heading">{t('notifyAdmin.history.title')}</h2>} className="section-card">
      <ErrorAlert error={history.error} />
      <ScrollRegion label={t('notifyAdmin.history.title')} minWidth={720}>
        <div data-testid="template-history">
          <Table<HistoryEntry>
            rowKey="version"
            size="small"
            columns={columns}
            dataSource={history.data?.items ?? []}
            loading={history.isFetching}
            pagination={false}
            locale={{ emptyText: t('notifyAdmin.history.empty') }}
          />
        </div>
      </ScrollRegion>
    </Card>
  );
}

/**
 * One template: its text with the event's placeholders, a preview with sample dossier data while
 * typing, save (a stale editor is refused), back to the built-in text, and every version.
 */
export function TemplateEditor({
  template,
  siblings,
  onReload,
}: {
  template: NotifyTemplate;
  siblings: NotifyTemplate[];
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const k: TemplateKey = { event: template.event, channel: template.channel, locale: template.locale };
  const hasSubject = template.channel !== 'sms';
  const [form] = Form.useForm<Values>();
  const subject = Form.useWatch('subject', form) ?? template.subject ?? '';
  const body = Form.useWatch('body', form) ?? template.body;
  const previewSubject = useDebounced(subject, 400);
  const previewBody = useDebounced(body, 400);
  const lastField = useRef<'subject' | 'body'>('body');
  const save = useSaveTemplate(k);
  const reset = useResetTemplate(k);
  const otherErrors = useServerFieldErrors(form, save.error, ['subject', 'body']);
  const dirty = body !== template.body || (hasSubject && subject !== (template.subject ?? ''));
  const stale = save.error instanceof ApiRequestError && save.error.status === 409;

  const insert = (variable: string) => {
    const field = hasSubject ? lastField.current : 'body';
    const el = document.getElementById(`template_${field}`) as HTMLInputElement | HTMLTextAreaElement | null;
    const value = String(form.getFieldValue(field) ?? '');
    const token = `{{${variable}}}`;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    form.setFieldValue(field, value.slice(0, start) + token + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const clearServerErrors = () => {
    if (!save.error) return;
    save.reset();
    form.setFields([
      { name: 'subject', errors: [] },
      { name: 'body', errors: [] },
    ]);
  };

  return (
    <>
      <SiblingNav template={template} siblings={siblings} />
      <p data-testid="template-state">
        {template.isDefault ? (
          <Tag color="#0b4f9c">{t('notifyAdmin.templates.defaultTag')}</Tag>
        ) : (
          <Tag color="#8a5300">{t('notifyAdmin.templates.changedTag')}</Tag>
        )}{' '}
        {template.isDefault
          ? t('notifyAdmin.editor.isDefault')
          : t('notifyAdmin.editor.isChanged', { version: template.version, at: formatDateTimeShort(template.updatedAt) })}
      </p>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Card title={<h2 className="card-heading">{t('notifyAdmin.editor.title')}</h2>} className="section-card">
            <ErrorAlert error={save.error ?? reset.error} extra={otherErrors} />
            {stale ? (
              <Button onClick={onReload} style={{ marginBottom: 16 }}>
                {t('notifyAdmin.editor.reload')}
              </Button>
            ) : null}
            <Form<Values>
              form={form}
              name="template"
              layout="vertical"
              noValidate
              initialValues={{ subject: template.subject ?? '', body: template.body }}
              onValuesChange={clearServerErrors}
              onFinish={(v) =>
                save.mutate(
                  {
                    body: v.body ?? '',
                    ...(hasSubject ? { subject: v.subject ?? '' } : {}),
                    expectedVersion: template.version,
                  },
                  { onSuccess: (r) => void message.success(t('notifyAdmin.editor.saved', { version: r.version })) },
                )
              }
            >
              {hasSubject ? (
                <Form.Item name="subject" label={t('notifyAdmin.fields.subject')}>
                  <Input maxLength={300} onFocus={() => (lastField.current = 'subject')} />
                </Form.Item>
              ) : null}
              <Form.Item
                name="body"
                label={t('notifyAdmin.fields.body')}
                extra={template.channel === 'sms' ? t('notifyAdmin.editor.smsHint') : undefined}
              >
                <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} maxLength={5000} onFocus={() => (lastField.current = 'body')} />
              </Form.Item>
              <section aria-labelledby="template-variables" style={{ marginBottom: 16 }}>
                <h3 id="template-variables" className="sub-heading">
                  {t('notifyAdmin.editor.variables')}
                </h3>
                <Typography.Paragraph type="secondary" className="text-line">
                  {t('notifyAdmin.editor.variablesHelp')}
                </Typography.Paragraph>
                <ul className="plain-list compact" data-testid="template-variables">
                  {template.variables.map((v) => (
                    <li key={v} style={{ marginBottom: 4 }}>
                      <Button size="small" onClick={() => insert(v)}>
                        <span className="visually-hidden">{t('notifyAdmin.editor.insert')} </span>
                        <code>{`{{${v}}}`}</code>
                      </Button>{' '}
                      {t(`notifyAdmin.variables.${v}`, { defaultValue: v })}
                    </li>
                  ))}
                </ul>
              </section>
              <Space wrap>
                <Button type="primary" htmlType="submit" icon={<SaveOutlined aria-hidden />} loading={save.isPending} disabled={!dirty}>
                  {t('notifyAdmin.editor.save')}
                </Button>
                <Button
                  icon={<UndoOutlined aria-hidden />}
                  disabled={!dirty}
                  onClick={() => {
                    form.resetFields();
                    clearServerErrors();
                  }}
                >
                  {t('notifyAdmin.editor.discard')}
                </Button>
                {template.isDefault ? null : (
                  <Popconfirm
                    title={t('notifyAdmin.editor.revertConfirm')}
                    description={t('notifyAdmin.editor.revertConfirmHelp')}
                    okText={t('notifyAdmin.editor.revertOk')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      reset.mutate(undefined, { onSuccess: () => void message.success(t('notifyAdmin.editor.reverted')) })
                    }
                  >
                    <Button danger icon={<RollbackOutlined aria-hidden />} loading={reset.isPending}>
                      {t('notifyAdmin.editor.revert')}
                    </Button>
                  </Popconfirm>
                )}
                {dirty ? <Tag color="#8a5300">{t('notifyAdmin.editor.unsaved')}</Tag> : null}
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <PreviewCard k={k} text={hasSubject ? { subject: previewSubject, body: previewBody } : { body: previewBody }} />
        </Col>
      </Row>
      <HistoryCard
        k={k}
        onReuse={(e) => {
          form.setFieldsValue({ body: e.body ?? '', ...(hasSubject ? { subject: e.subject ?? '' } : {}) });
          void message.info(t('notifyAdmin.history.reused', { version: e.version }));
        }}
      />
    </>
  );
}
