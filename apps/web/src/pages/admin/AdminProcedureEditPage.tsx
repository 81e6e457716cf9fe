import { useMemo, useState } from 'react';
import {
  Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Popconfirm, Radio, Row, Select, Space, Switch, Table, Tabs, Tag, Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ApplicantType, ComponentForm, FeeWhen, OnlineLevel, ProcedureDetail, ProcedureHistoryEntry, ProcedureInput, ProcedureLevel, ProcedureMethod,
  ProcessingUnit,
} from '@motcua/contracts';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  ADMIN_PROCEDURES_KEY, fieldName, ONLINE_LEVELS, procedureKey, useProcedure, useProcedureFields, useProcedureHistory,
} from '../../api/catalog';
import { api, ApiRequestError, upload } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MultiAgencySelect } from '../../components/MultiAgencySelect';
import { OnlineForm, type FormData } from '../../components/OnlineForm';
import { Loading, PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDateTime } from '../../lib/format';
import { checkFormSchema } from '../../lib/json-schema';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../NotFoundPage';
import { ProcessEditor } from './ProcessEditor';
import { ResultTemplateEditor } from './ResultTemplateEditor';

const LEVELS: ProcedureLevel[] = ['central', 'province', 'district', 'commune'];
const APPLICANTS: ApplicantType[] = ['citizen', 'business', 'organisation'];
const METHODS: ProcedureMethod[] = ['in_person', 'online', 'post'];
const FORMS: ComponentForm[] = ['original', 'certified_copy', 'copy'];
const FEE_WHEN: FeeWhen[] = ['before_reception', 'before_processing', 'before_result'];
const FIELDS = [
  'code', 'name', 'fieldId', 'receivingAgencyIds', 'resolvingAgencyIds', 'levels', 'applicants', 'methods', 'onlineLevel', 'processingTime',
  'steps', 'legalBasis', 'resultDocuments', 'components', 'fees',
] as const;

const STARTER_SCHEMA = {
  type: 'object',
  title: 'Tờ khai',
  required: ['applicantName', 'phone'],
  properties: {
    applicantName: { type: 'string', title: 'Họ và tên người yêu cầu', minLength: 1, maxLength: 200 },
    phone: { type: 'string', title: 'Số điện thoại', pattern: '^(0|\\+84)[35789][0-9]{8}$' },
    request: { type: 'string', title: 'Nội dung đề nghị', maxLength: 4000 },
  },
};
const STARTER_UI = { request: { 'ui:widget': 'textarea' } };

type ComponentRow = { id?: string; name: string; form: ComponentForm; quantity: number; required: boolean; reusable: boolean };
type FeeRow = { name: string; amountVnd: number; exemptions?: string | null; payableOnline: boolean; when: FeeWhen };

type ProcForm = {
  code: string;
  name: string;
  fieldId: string;
  receivingAgencyIds: string[];
  resolvingAgencyIds: string[];
  levels: ProcedureLevel[];
  applicants: ApplicantType[];
  methods: ProcedureMethod[];
  onlineLevel: OnlineLevel;
  processingTime: { value: number; unit: ProcessingUnit };
  steps: string;
  legalBasis: string;
  resultDocuments: { name: string; paper: boolean; electronic: boolean }[];
  components: ComponentRow[];
  fees: FeeRow[];
  hasOnlineForm: boolean;
  schemaText?: string;
  uiSchemaText?: string;
};

function toForm(p: ProcedureDetail | null): Partial<ProcForm> {
  if (!p)
    return {
      levels: ['province'],
      applicants: ['citizen'],
      methods: ['in_person', 'online', 'post'],
      onlineLevel: 'partial',
      processingTime: { value: 5, unit: 'working_days' },
      resultDocuments: [{ name: '', paper: true, electronic: true }],
      components: [],
      fees: [],
      receivingAgencyIds: [],
      resolvingAgencyIds: [],
      hasOnlineForm: false,
      schemaText: '',
      uiSchemaText: '',
    };
  return {
    code: p.code,
    name: p.name,
    fieldId: p.field.id,
    receivingAgencyIds: [...new Set(p.agencies.filter((a) => a.kind === 'receiving').map((a) => a.id))],
    resolvingAgencyIds: [...new Set(p.agencies.filter((a) => a.kind === 'resolving').map((a) => a.id))],
    levels: p.levels,
    applicants: p.applicants,
    methods: p.methods,
    onlineLevel: p.onlineLevel,
    processingTime: p.processingTime,
    steps: p.steps,
    legalBasis: p.legalBasis,
    resultDocuments: p.resultDocuments,
    components: p.components.map((c) => ({ id: c.id, name: c.name, form: c.form, quantity: c.quantity, required: c.required, reusable: c.reusable })),
    fees: p.fees.map((f) => ({ ...f })),
    hasOnlineForm: !!p.onlineForm,
    schemaText: p.onlineForm ? JSON.stringify(p.onlineForm.schema, null, 2) : '',
    uiSchemaText: p.onlineForm ? JSON.stringify(p.onlineForm.uiSchema ?? {}, null, 2) : '',
  };
}

function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text ?? '') };
  } catch {
    return { ok: false };
  }
}

function toBody(v: ProcForm): Omit<ProcedureInput, 'published'> {
  const schema = v.hasOnlineForm ? parseJson(v.schemaText) : null;
  const ui = v.hasOnlineForm && v.uiSchemaText?.trim() ? parseJson(v.uiSchemaText) : { ok: true as const, value: {} };
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    fieldId: v.fieldId,
    receivingAgencyIds: v.receivingAgencyIds,
    resolvingAgencyIds: v.resolvingAgencyIds,
    levels: v.levels,
    applicants: v.applicants,
    methods: v.methods,
    onlineLevel: v.onlineLevel,
    processingTime: { value: Number(v.processingTime.value), unit: v.processingTime.unit },
    steps: v.steps.trim(),
    legalBasis: v.legalBasis.trim(),
    resultDocuments: v.resultDocuments.map((r) => ({ name: r.name.trim(), paper: !!r.paper, electronic: !!r.electronic })),
    components: (v.components ?? []).map((c) => ({
      ...(c.id ? { id: c.id } : {}),
      name: c.name.trim(),
      form: c.form,
      quantity: Number(c.quantity),
      required: !!c.required,
      reusable: !!c.reusable,
    })),
    fees: (v.fees ?? []).map((f) => ({
      name: f.name.trim(),
      amountVnd: Number(f.amountVnd),
      exemptions: f.exemptions?.trim() ? f.exemptions.trim() : null,
      payableOnline: !!f.payableOnline,
      when: f.when,
    })),
    onlineForm:
      schema && schema.ok && ui.ok
        ? { schema: schema.value as Record<string, unknown>, uiSchema: (ui.value ?? {}) as Record<string, unknown> }
        : null,
  };
}

function FormPreview({ schemaText, uiSchemaText }: { schemaText?: string; uiSchemaText?: string }) {
  const { t } = useTranslation();
  const [data, setData] = useState<FormData>({});
  const schema = parseJson(schemaText);
  const ui = uiSchemaText?.trim() ? parseJson(uiSchemaText) : { ok: true as const, value: {} };
  if (!schema.ok) return <Alert type="warning" showIcon title={t('adminProcedure.previewInvalidJson')} />;
  const check = checkFormSchema(schema.value);
  if (check !== 'ok') return <Alert type="warning" showIcon title={t(`adminProcedure.previewProblem.${check}`)} />;
  if (!ui.ok) return <Alert type="warning" showIcon title={t('adminProcedure.previewInvalidUi')} />;
  return (
    <div className="form-preview" data-testid="form-preview">
      <OnlineForm
        key={schemaText}
        idPrefix="preview"
        schema={schema.value as Record<string, unknown>}
        uiSchema={ui.value as Record<string, unknown>}
        formData={data}
        liveValidate
        onChange={setData}
      />
    </div>
  );
}

function TemplateUpload({ procedure, componentId }: { procedure: ProcedureDetail; componentId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const component = procedure.components.find((c) => c.id === componentId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!component) return null;
  return (
    <div className="template-upload">
      {component.template ? (
        <a href={component.template.url} download>
          {t('adminProcedure.currentTemplate', { name: component.template.filename })}
        </a>
      ) : (
        <span className="muted">{t('adminProcedure.noTemplate')}</span>
      )}{' '}
      <label className="inline-upload">
        <span className="visually-hidden">{t('adminProcedure.uploadTemplateFor', { name: component.name })}</span>
        <input
          type="file"
          accept=".pdf,.doc,.docx,.xlsx"
          disabled={busy}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setBusy(true);
            setError(null);
            try {
              const updated = await upload<ProcedureDetail>('PUT', `/admin/procedures/${procedure.id}/components/${componentId}/template`, {}, file);
              queryClient.setQueryData(procedureKey(procedure.id), updated);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
              e.target.value = '';
            }
          }}
        />
      </label>
      <ErrorAlert error={error} />
    </div>
  );
}

function HistoryTab({ id }: { id: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const history = useProcedureHistory(id, page, 20);
  const columns: TableColumnsType<ProcedureHistoryEntry> = [
    { title: t('audit.at'), key: 'at', width: 170, render: (_, e) => formatDateTime(e.at) },
    { title: t('audit.actor'), key: 'actor', width: 180, render: (_, e) => e.actorName ?? t('audit.system') },
    { title: t('audit.action'), key: 'action', width: 150, render: (_, e) => <Tag>{t(`adminProcedure.historyAction.${e.action}`)}</Tag> },
    {
      title: t('adminProcedure.changes'),
      key: 'diff',
      render: (_, e) => {
        const keys = Object.keys(e.diff);
        if (!keys.length) return '—';
        return (
          <details>
            <summary>{keys.map((k) => t(`adminProcedure.fieldNames.${k}`, { defaultValue: k })).join(', ')}</summary>
            <pre className="diff-pre">{JSON.stringify(e.diff, null, 2).slice(0, 4000)}</pre>
          </details>
        );
      },
    },
  ];
  return (
    <>
      <ErrorAlert error={history.error} />
      <ScrollRegion label={t('adminProcedure.tabs.history')} minWidth={820}>
        <Table<ProcedureHistoryEntry>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={history.data?.items ?? []}
          loading={history.isFetching}
          data-testid="history-table"
          pagination={{ current: page, pageSize: 20, total: history.data?.total ?? 0, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
        />
      </ScrollRegion>
    </>
  );
}

export function AdminProcedureEditPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const procedure = useProcedure(isNew ? undefined : id);
  if (!isNew && procedure.error instanceof ApiRequestError && procedure.error.status === 404) return <NotFoundPage />;
  if (!isNew && procedure.isPending) return <Loading />;
  if (!isNew && !procedure.data) return <ErrorAlert error={procedure.error} />;
  return <Editor key={procedure.data?.updatedAt ?? 'new'} procedure={isNew ? null : procedure.data!} />;
}

function Editor({ procedure }: { procedure: ProcedureDetail | null }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'general';
  const [form] = Form.useForm<ProcForm>();
  const fields = useProcedureFields();
  const hasOnlineForm = Form.useWatch('hasOnlineForm', form);
  const schemaText = Form.useWatch('schemaText', form);
  const uiSchemaText = Form.useWatch('uiSchemaText', form);
  const initial = useMemo(() => toForm(procedure), [procedure]);
  const known = useMemo(() => Object.fromEntries((procedure?.agencies ?? []).map((a) => [a.id, `${a.name} (${a.code})`])), [procedure]);
  useDocumentTitle(procedure ? t('adminProcedure.editTitle', { name: procedure.name }) : t('adminProcedure.createTitle'));

  const save = useMutation({
    mutationFn: (body: Omit<ProcedureInput, 'published'>) =>
      procedure ? api.patch<ProcedureDetail>(`/admin/procedures/${procedure.id}`, body) : api.post<ProcedureDetail>('/admin/procedures', body),
    onSuccess: (d) => {
      queryClient.setQueryData(procedureKey(d.id), d);
      void queryClient.invalidateQueries({ queryKey: ADMIN_PROCEDURES_KEY });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'procedure-history', d.id] });
      void message.success(t('adminProcedure.saved'));
      if (!procedure) void navigate(`/staff/admin/procedures/${d.id}`, { replace: true });
    },
  });
  const publish = useMutation({
    mutationFn: (on: boolean) => api.post<ProcedureDetail>(`/admin/procedures/${procedure!.id}/${on ? 'publish' : 'unpublish'}`),
    onSuccess: (d) => {
      queryClient.setQueryData(procedureKey(d.id), d);
      void queryClient.invalidateQueries({ queryKey: ADMIN_PROCEDURES_KEY });
      void message.success(d.published ? t('adminProcedures.publishedDone') : t('adminProcedures.unpublishedDone'));
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, FIELDS);

  const setTab = (key: string) => {
    const p = new URLSearchParams(params);
    if (key === 'general') p.delete('tab');
    else p.set('tab', key);
    setParams(p, { replace: true });
  };

  const required = { required: true, message: t('validation.required') };
  const requiredList = { required: true, type: 'array' as const, min: 1, message: t('adminProcedure.pickOne') };
  const jsonRule = (check: boolean) => ({
    validator: async (_: unknown, value: string | undefined) => {
      if (!check) return;
      const parsed = parseJson(value);
      if (!parsed.ok) throw new Error(t('adminProcedure.invalidJson'));
    },
  });

  const general = (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Form.Item name="code" label={t('procedure.code')} extra={t('adminProcedure.codeHint')} rules={[required, { pattern: /^\s*\d\.\d{6}(\.[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3})?\s*$/, message: t('adminProcedure.codeInvalid') }]}>
          <Input maxLength={40} />
        </Form.Item>
      </Col>
      <Col xs={24} md={16}>
        <Form.Item name="fieldId" label={t('procedure.field')} rules={[required]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={fields.isPending}
            options={(fields.data?.items ?? []).map((f) => ({ value: f.id, label: fieldName(f, i18n.language) }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="name" label={t('adminProcedures.name')} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={1000} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="receivingAgencyIds" label={t('procedure.receivingAgencies')} rules={[requiredList]}>
          <MultiAgencySelect known={known} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="resolvingAgencyIds" label={t('procedure.resolvingAgencies')} rules={[requiredList]}>
          <MultiAgencySelect known={known} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="levels" label={t('procedure.levels')} rules={[requiredList]}>
          <Checkbox.Group options={LEVELS.map((l) => ({ value: l, label: t(`procedureLevel.${l}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="applicants" label={t('procedure.applicants')} rules={[requiredList]}>
          <Checkbox.Group options={APPLICANTS.map((a) => ({ value: a, label: t(`applicant.${a}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="methods" label={t('procedure.methods')} rules={[requiredList]}>
          <Checkbox.Group options={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="onlineLevel" label={t('procedure.onlineLevel')} rules={[required]}>
          <Radio.Group options={ONLINE_LEVELS.map((l) => ({ value: l, label: t(`onlineLevel.${l}`) }))} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name={['processingTime', 'value']} label={t('procedure.processingTime')} rules={[required]}>
          <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name={['processingTime', 'unit']} label={t('adminProcedure.unit')} rules={[required]}>
          <Select
            options={[
              { value: 'working_days', label: t('adminProcedure.workingDays') },
              { value: 'working_hours', label: t('adminProcedure.workingHours') },
            ]}
          />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="steps" label={t('procedure.steps')} extra={t('adminProcedure.linesHint')} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} maxLength={20000} />
        </Form.Item>
        <Form.Item name="legalBasis" label={t('procedure.legalBasis')} extra={t('adminProcedure.linesHint')} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20000} />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.List name="resultDocuments">
          {(items, { add, remove }) => (
            <fieldset className="fieldset">
              <legend>{t('procedure.results')}</legend>
              {items.map((item, i) => (
                <Row key={item.key} gutter={12} align="top">
                  <Col xs={24} md={14}>
                    <Form.Item name={[item.name, 'name']} label={t('adminProcedure.resultN', { n: i + 1 })} rules={[{ ...required, whitespace: true }]}>
                      <Input maxLength={500} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4} className="check-col">
                    <Form.Item name={[item.name, 'paper']} valuePropName="checked">
                      <Checkbox>{t('procedure.paper')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4} className="check-col">
                    <Form.Item name={[item.name, 'electronic']} valuePropName="checked">
                      <Checkbox>{t('procedure.electronic')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={2} className="check-col">
                    {items.length > 1 ? (
                      <Button type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('adminProcedure.removeResult', { n: i + 1 })} onClick={() => remove(item.name)} />
                    ) : null}
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '', paper: true, electronic: true })}>
                {t('adminProcedure.addResult')}
              </Button>
            </fieldset>
          )}
        </Form.List>
      </Col>
    </Row>
  );

  const components = (
    <Form.List name="components">
      {(items, { add, remove, move }) => (
        <>
          {items.length === 0 ? <Typography.Paragraph>{t('procedure.noComponents')}</Typography.Paragraph> : null}
          {items.map((item, i) => {
            const cid = form.getFieldValue(['components', item.name, 'id']) as string | undefined;
            return (
              <fieldset key={item.key} className="fieldset" data-testid={`component-row-${i}`}>
                <legend>{t('adminProcedure.componentN', { n: i + 1 })}</legend>
                <Row gutter={12}>
                  <Col xs={24}>
                    <Form.Item name={[item.name, 'name']} label={t('adminProcedure.componentName')} rules={[{ ...required, whitespace: true }]}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={1000} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name={[item.name, 'form']} label={t('adminProcedure.componentForm')} rules={[required]}>
                      <Select options={FORMS.map((f) => ({ value: f, label: t(`componentForm.${f}`) }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[item.name, 'quantity']} label={t('adminProcedure.componentQuantity')} rules={[required]}>
                      <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4} className="check-col">
                    <Form.Item name={[item.name, 'required']} valuePropName="checked">
                      <Checkbox>{t('procedure.required')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4} className="check-col">
                    <Form.Item name={[item.name, 'reusable']} valuePropName="checked">
                      <Checkbox>{t('procedure.reusable')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4} className="check-col">
                    <Space>
                      <Button size="small" icon={<ArrowUpOutlined aria-hidden />} disabled={i === 0} aria-label={t('adminProcedure.moveUp', { n: i + 1 })} onClick={() => move(i, i - 1)} />
                      <Button size="small" icon={<ArrowDownOutlined aria-hidden />} disabled={i === items.length - 1} aria-label={t('adminProcedure.moveDown', { n: i + 1 })} onClick={() => move(i, i + 1)} />
                      <Button size="small" danger icon={<DeleteOutlined aria-hidden />} aria-label={t('adminProcedure.removeComponent', { n: i + 1 })} onClick={() => remove(item.name)} />
                    </Space>
                  </Col>
                </Row>
                {procedure && cid ? <TemplateUpload procedure={procedure} componentId={cid} /> : <Typography.Text type="secondary">{t('adminProcedure.templateAfterSave')}</Typography.Text>}
              </fieldset>
            );
          })}
          <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '', form: 'original', quantity: 1, required: true, reusable: false })}>
            {t('adminProcedure.addComponent')}
          </Button>
        </>
      )}
    </Form.List>
  );

  const fees = (
    <Form.List name="fees">
      {(items, { add, remove }) => (
        <>
          {items.length === 0 ? <Typography.Paragraph>{t('procedure.noFees')}</Typography.Paragraph> : null}
          {items.map((item, i) => (
            <fieldset key={item.key} className="fieldset">
              <legend>{t('adminProcedure.feeN', { n: i + 1 })}</legend>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name={[item.name, 'name']} label={t('adminProcedure.feeName')} rules={[{ ...required, whitespace: true }]}>
                    <Input maxLength={500} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item name={[item.name, 'amountVnd']} label={t('adminProcedure.feeAmount')} rules={[required]}>
                    <InputNumber
                      min={0}
                      precision={0}
                      style={{ width: '100%' }}
                      formatter={(v) => String(v ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, '.')}
                      parser={(v) => Number((v ?? '').replace(/\./g, '')) as 0}
                      suffix="₫"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item name={[item.name, 'when']} label={t('adminProcedure.feeWhen')} rules={[required]}>
                    <Select options={FEE_WHEN.map((w) => ({ value: w, label: t(`feeWhen.${w}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={16}>
                  <Form.Item name={[item.name, 'exemptions']} label={t('procedure.exemptions')}>
                    <Input maxLength={2000} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5} className="check-col">
                  <Form.Item name={[item.name, 'payableOnline']} valuePropName="checked">
                    <Checkbox>{t('procedure.payableOnline')}</Checkbox>
                  </Form.Item>
                </Col>
                <Col xs={12} md={3} className="check-col">
                  <Button danger icon={<DeleteOutlined aria-hidden />} aria-label={t('adminProcedure.removeFee', { n: i + 1 })} onClick={() => remove(item.name)} />
                </Col>
              </Row>
            </fieldset>
          ))}
          <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '', amountVnd: 0, payableOnline: true, when: 'before_reception', exemptions: '' })}>
            {t('adminProcedure.addFee')}
          </Button>
        </>
      )}
    </Form.List>
  );

  const onlineForm = (
    <>
      <Form.Item name="hasOnlineForm" valuePropName="checked" label={t('adminProcedure.hasOnlineForm')}>
        <Switch />
      </Form.Item>
      {hasOnlineForm ? (
        <Row gutter={24}>
          <Col xs={24} xl={12}>
            <Space style={{ marginBottom: 8 }}>
              <Button
                size="small"
                onClick={() => form.setFieldsValue({ schemaText: JSON.stringify(STARTER_SCHEMA, null, 2), uiSchemaText: JSON.stringify(STARTER_UI, null, 2) })}
              >
                {t('adminProcedure.insertStarter')}
              </Button>
            </Space>
            <Form.Item name="schemaText" label={t('adminProcedure.schema')} extra={t('adminProcedure.schemaHint')} rules={[{ required: true, message: t('validation.required') }, jsonRule(true)]}>
              <Input.TextArea autoSize={{ minRows: 12, maxRows: 30 }} className="code-textarea" spellCheck={false} />
            </Form.Item>
            <Form.Item name="uiSchemaText" label={t('adminProcedure.uiSchema')} extra={t('adminProcedure.uiSchemaHint')} rules={[jsonRule(!!uiSchemaText?.trim())]}>
              <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} className="code-textarea" spellCheck={false} />
            </Form.Item>
          </Col>
          <Col xs={24} xl={12}>
            <section aria-labelledby="preview-title" className="preview-section">
              <h2 id="preview-title" className="card-heading">
                {t('adminProcedure.preview')}
              </h2>
              <Typography.Paragraph className="muted">{t('adminProcedure.previewHint')}</Typography.Paragraph>
              <FormPreview schemaText={schemaText} uiSchemaText={uiSchemaText} />
            </section>
          </Col>
        </Row>
      ) : (
        <Typography.Paragraph className="muted">{t('adminProcedure.noOnlineForm')}</Typography.Paragraph>
      )}
    </>
  );

  const formTabs = [
    { key: 'general', label: t('adminProcedure.tabs.general'), children: general, forceRender: true },
    { key: 'components', label: t('adminProcedure.tabs.components'), children: components, forceRender: true },
    { key: 'fees', label: t('adminProcedure.tabs.fees'), children: fees, forceRender: true },
    { key: 'form', label: t('adminProcedure.tabs.form'), children: onlineForm, forceRender: true },
  ];
  const extraTabs = procedure
    ? [
        { key: 'process', label: t('adminProcedure.tabs.process'), children: <ProcessEditor procedureId={procedure.id} /> },
        { key: 'result', label: t('resultTemplates.tab'), children: <ResultTemplateEditor procedureId={procedure.id} /> },
        { key: 'history', label: t('adminProcedure.tabs.history'), children: <HistoryTab id={procedure.id} /> },
      ]
    : [];
  const inForm = formTabs.some((x) => x.key === tab);

  return (
    <>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/staff/admin/procedures">{t('adminProcedures.title')}</Link> <span aria-hidden>›</span>{' '}
        <span>{procedure ? procedure.code : t('adminProcedure.createTitle')}</span>
      </nav>
      <PageTitle
        extra={
          procedure ? (
            <Space wrap>
              {procedure.published ? <Tag color="#1e6b34">{t('adminProcedures.published')}</Tag> : <Tag color="#8a5300">{t('adminProcedures.draft')}</Tag>}
              <Popconfirm
                title={procedure.published ? t('adminProcedures.unpublishConfirm') : t('adminProcedures.publishConfirm')}
                okText={t('common.yes')}
                cancelText={t('common.no')}
                onConfirm={() => publish.mutate(!procedure.published)}
              >
                <Button loading={publish.isPending}>{procedure.published ? t('adminProcedures.unpublish') : t('adminProcedures.publish')}</Button>
              </Popconfirm>
              <Link to={`/procedures/${procedure.id}`}>{t('adminProcedure.viewPublic')}</Link>
            </Space>
          ) : null
        }
      >
        {procedure ? procedure.name : t('adminProcedure.createTitle')}
      </PageTitle>
      <ErrorAlert error={publish.error} />
      <Card>
        <Form<ProcForm>
          form={form}
          layout="vertical"
          noValidate
          initialValues={initial}
          onFinish={(v) => save.mutate(toBody(v))}
          onFinishFailed={({ errorFields }) => {
            const first = errorFields[0]?.name[0];
            const where = first === 'components' ? 'components' : first === 'fees' ? 'fees' : first === 'schemaText' || first === 'uiSchemaText' ? 'form' : 'general';
            setTab(where);
          }}
          scrollToFirstError
        >
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              ...formTabs,
              ...extraTabs.map((x) => ({ key: x.key, label: x.label, children: null })),
            ]}
          />
          {inForm ? (
            <div className="form-footer">
              <ErrorAlert error={save.error} extra={otherErrors} />
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-procedure">
                {procedure ? t('common.save') : t('adminProcedure.create')}
              </Button>
            </div>
          ) : null}
        </Form>
        {/* The process and the history are not part of the procedure form. */}
        {extraTabs.find((x) => x.key === tab)?.children ?? null}
      </Card>
    </>
  );
}
