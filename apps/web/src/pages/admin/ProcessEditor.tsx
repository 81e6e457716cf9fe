import { Alert, App, Button, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PROCESS_ROLES, processKey, useProcess, type Process, type ProcessStep } from '../../api/catalog';
import { api } from '../../api/client';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/PageState';
import { useServerFieldErrors } from '../../lib/server-errors';

type StepRow = { key: string; nameVi: string; nameEn: string; agencyId: string | null; role: ProcessStep['role']; sharePercent: number; returnTo: string[] };

const toRows = (p: Process): StepRow[] =>
  p.steps.map((s) => ({ key: s.key, nameVi: s.name.vi, nameEn: s.name.en, agencyId: s.agencyId, role: s.role, sharePercent: s.sharePercent, returnTo: s.returnTo ?? [] }));

const toSteps = (rows: StepRow[]): ProcessStep[] =>
  rows.map((r) => ({
    key: r.key.trim(),
    name: { vi: r.nameVi.trim(), en: r.nameEn.trim() },
    agencyId: r.agencyId ?? null,
    role: r.role,
    sharePercent: Number(r.sharePercent),
    ...(r.returnTo?.length ? { returnTo: r.returnTo } : {}),
  }));

function Editor({ procedureId, process }: { procedureId: string; process: Process }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ steps: StepRow[] }>();
  const rows = Form.useWatch('steps', form) ?? toRows(process);
  const total = rows.reduce((a, r) => a + (Number(r?.sharePercent) || 0), 0);
  const lastIsLeader = rows[rows.length - 1]?.role === 'agency_leader';
  const save = useMutation({
    mutationFn: (steps: ProcessStep[]) => api.put<Process>(`/admin/procedures/${procedureId}/process`, { steps }),
    onSuccess: (p) => {
      queryClient.setQueryData(processKey(procedureId), p);
      form.setFieldsValue({ steps: toRows(p) });
      void message.success(t('process.saved', { version: p.version }));
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, ['steps']);
  const required = { required: true, message: t('validation.required') };

  return (
    <div data-testid="process-editor">
      <Typography.Paragraph>{t('process.intro', { version: process.version })}</Typography.Paragraph>
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<{ steps: StepRow[] }> form={form} layout="vertical" noValidate initialValues={{ steps: toRows(process) }} onFinish={(v) => save.mutate(toSteps(v.steps))}>
        <Form.List name="steps">
          {(items, { add, remove, move }) => (
            <>
              {items.map((item, i) => {
                const earlier = rows.slice(0, i).map((r) => r?.key).filter(Boolean);
                return (
                  <fieldset key={item.key} className="fieldset" data-testid={`process-step-${i}`}>
                    <legend>{t('process.stepN', { n: i + 1 })}</legend>
                    <Row gutter={12}>
                      <Col xs={24} md={6}>
                        <Form.Item name={[item.name, 'key']} label={t('process.key')} rules={[required, { pattern: /^[a-z][a-z0-9_]{0,39}$/, message: t('process.keyInvalid') }]}>
                          <Input maxLength={40} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={9}>
                        <Form.Item name={[item.name, 'nameVi']} label={t('process.nameVi')} rules={[{ ...required, whitespace: true }]}>
                          <Input maxLength={200} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={9}>
                        <Form.Item name={[item.name, 'nameEn']} label={t('process.nameEn')} rules={[{ ...required, whitespace: true }]}>
                          <Input maxLength={200} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={6}>
                        <Form.Item name={[item.name, 'role']} label={t('process.role')} rules={[required]}>
                          <Select options={PROCESS_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={9}>
                        <Form.Item name={[item.name, 'agencyId']} label={t('process.agency')} extra={t('process.agencyHint')}>
                          <AgencySelect />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={4}>
                        <Form.Item name={[item.name, 'sharePercent']} label={t('process.share')} rules={[required]}>
                          <InputNumber min={1} max={100} style={{ width: '100%' }} suffix="%" />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={5}>
                        <Form.Item name={[item.name, 'returnTo']} label={t('process.returnTo')}>
                          <Select mode="multiple" disabled={earlier.length === 0} options={earlier.map((k) => ({ value: k, label: k }))} />
                        </Form.Item>
                      </Col>
                    </Row>
                    <Space>
                      <Button size="small" icon={<ArrowUpOutlined aria-hidden />} disabled={i === 0} aria-label={t('adminProcedure.moveUp', { n: i + 1 })} onClick={() => move(i, i - 1)} />
                      <Button size="small" icon={<ArrowDownOutlined aria-hidden />} disabled={i === items.length - 1} aria-label={t('adminProcedure.moveDown', { n: i + 1 })} onClick={() => move(i, i + 1)} />
                      <Button size="small" danger icon={<DeleteOutlined aria-hidden />} disabled={items.length === 1} aria-label={t('process.removeStep', { n: i + 1 })} onClick={() => remove(item.name)} />
                    </Space>
                  </fieldset>
                );
              })}
              <Button
                type="dashed"
                icon={<PlusOutlined aria-hidden />}
                onClick={() => add({ key: `step_${items.length + 1}`, nameVi: '', nameEn: '', agencyId: null, role: 'specialist', sharePercent: 10, returnTo: [] })}
              >
                {t('process.addStep')}
              </Button>
            </>
          )}
        </Form.List>
        <div aria-live="polite" className="process-checks">
          {Math.abs(total - 100) > 0.001 ? <Alert type="warning" showIcon title={t('process.sharesSum', { total })} /> : null}
          {!lastIsLeader ? <Alert type="warning" showIcon title={t('process.lastLeader')} /> : null}
        </div>
        <div className="form-footer">
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('process.save')}
          </Button>
        </div>
      </Form>
    </div>
  );
}

/** The internal process (quy trình nội bộ) of a procedure: ordered steps with role, agency and share of time. */
export function ProcessEditor({ procedureId }: { procedureId: string }) {
  const process = useProcess(procedureId);
  if (process.isPending) return <Loading />;
  if (!process.data) return <ErrorAlert error={process.error} />;
  return <Editor key={process.data.id} procedureId={procedureId} process={process.data} />;
}
