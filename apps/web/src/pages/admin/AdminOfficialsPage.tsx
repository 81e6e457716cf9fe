import { useState } from 'react';
import { Alert, App, Button, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OfficialRole } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import {
  OFFICIAL_ROLES,
  type Official,
  type OfficialCreate,
  type OfficialCreated,
  type OfficialUpdate,
  type Page,
} from '../../api/types';
import { hasRole, useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchForm } from '../../components/SearchForm';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { listParams } from '../../lib/list-params';

const PAGE_SIZE = 25;
const OFFICIALS_KEY = ['admin', 'officials'] as const;

type Grant = { role: OfficialRole; agencyId: string };
type OfficialForm = { fullName: string; email: string; phone?: string; roles: Grant[] };

/** Roles this administrator may hand out: only a province administrator grants the elevated ones. */
function useGrantableRoles(): OfficialRole[] {
  const { data: me } = useMe();
  return hasRole(me, 'province_admin')
    ? [...OFFICIAL_ROLES]
    : OFFICIAL_ROLES.filter((r) => r !== 'province_admin' && r !== 'auditor');
}

function useDefaultAgencyId(): string | undefined {
  const { data: me } = useMe();
  return me?.roles.find((r) => r.role === 'agency_admin' || r.role === 'province_admin')?.agencyId;
}

function RoleGrantsField() {
  const { t } = useTranslation();
  const roles = useGrantableRoles();
  const defaultAgencyId = useDefaultAgencyId();
  return (
    <fieldset className="fieldset">
      <legend>{t('adminOfficials.roles')}</legend>
      <Form.List
        name="roles"
        rules={[
          {
            validator: async (_, value?: Grant[]) => {
              if (!value?.length) throw new Error(t('adminOfficials.rolesRequired'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, index) => (
              <Row gutter={8} key={field.key} align="top">
                <Col xs={24} md={10}>
                  <Form.Item
                    name={[field.name, 'role']}
                    label={t('adminOfficials.roleN', { n: index + 1 })}
                    rules={[{ required: true, message: t('validation.required') }]}
                  >
                    <Select options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={20} md={12}>
                  <Form.Item
                    name={[field.name, 'agencyId']}
                    label={t('adminOfficials.agencyN', { n: index + 1 })}
                    rules={[{ required: true, message: t('validation.required') }]}
                  >
                    <AgencySelect allowClear={false} />
                  </Form.Item>
                </Col>
                <Col xs={4} md={2} className="remove-col">
                  <Button
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('adminOfficials.removeRole', { n: index + 1 })}
                    onClick={() => remove(field.name)}
                    disabled={fields.length <= 1}
                  />
                </Col>
              </Row>
            ))}
            <Form.ErrorList errors={errors} />
            <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ role: undefined, agencyId: defaultAgencyId })}>
              {t('adminOfficials.addRole')}
            </Button>
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

function CreateOfficialModal({ onClose, onCreated }: { onClose: () => void; onCreated: (r: OfficialCreated) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const defaultAgencyId = useDefaultAgencyId();
  const [form] = Form.useForm<OfficialForm>();
  const create = useMutation({
    mutationFn: (body: OfficialCreate) => api.post<OfficialCreated>('/admin/officials', body),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: OFFICIALS_KEY });
      onCreated(result);
    },
  });
  const otherErrors = useServerFieldErrors(form, create.error, ['fullName', 'email', 'phone', 'roles']);
  return (
    <Modal
      open
      title={t('adminOfficials.createTitle')}
      onCancel={onClose}
      okText={t('adminOfficials.createSubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      width={760}
    >
      <ErrorAlert error={create.error} extra={otherErrors} />
      <Form<OfficialForm>
        form={form}
        layout="vertical"
        noValidate
        requiredMark="optional"
        initialValues={{ roles: [{ role: undefined, agencyId: defaultAgencyId }] }}
        onFinish={(v) =>
          create.mutate({
            fullName: v.fullName.trim(),
            email: v.email.trim(),
            phone: v.phone?.trim() || undefined,
            roles: v.roles,
          })
        }
      >
        <Form.Item name="fullName" label={t('fields.fullName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="email"
              label={t('fields.email')}
              rules={[
                { required: true, message: t('validation.required') },
                { type: 'email', message: t('validation.email') },
              ]}
            >
              <Input type="email" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('fields.phone')}>
              <Input type="tel" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <RoleGrantsField />
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

function EditRolesModal({ official, onClose }: { official: Official; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ roles: Grant[] }>();
  const save = useMutation({
    mutationFn: (body: OfficialUpdate) => api.patch<Official>(`/admin/officials/${encodeURIComponent(official.id)}`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: OFFICIALS_KEY });
      void message.success(t('adminOfficials.saved'));
      onClose();
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, ['roles']);
  return (
    <Modal
      open
      title={t('adminOfficials.editRolesTitle', { name: official.fullName })}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={760}
    >
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<{ roles: Grant[] }>
        form={form}
        layout="vertical"
        noValidate
        initialValues={{ roles: official.roles.map((r) => ({ role: r.role, agencyId: r.agencyId })) }}
        onFinish={(v) => save.mutate({ roles: v.roles })}
      >
        <RoleGrantsField />
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

function TemporaryPasswordModal({ created, onClose }: { created: OfficialCreated; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('adminOfficials.createdTitle', { name: created.official.fullName })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('adminOfficials.passwordNoted')}
        </Button>
      }
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon title={t('adminOfficials.passwordOnce')} style={{ marginBottom: 16 }} />
      <p>{t('adminOfficials.passwordFor', { email: created.official.email ?? '' })}</p>
      <Typography.Paragraph>
        <Typography.Text code copyable className="temp-password" data-testid="temporary-password">
          {created.temporaryPassword}
        </Typography.Text>
      </Typography.Paragraph>
      <p>{t('adminOfficials.passwordNext')}</p>
    </Modal>
  );
}

export function AdminOfficialsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const agencyId = params.get('agencyId') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<OfficialCreated | null>(null);
  const [editing, setEditing] = useState<Official | null>(null);
  useDocumentTitle(t('adminOfficials.title'));

  const officials = useQuery({
    queryKey: [...OFFICIALS_KEY, q, agencyId, page],
    queryFn: () =>
      api.get<Page<Official>>('/admin/officials', { q, agencyId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const toggle = useMutation({
    mutationFn: (o: Official) => api.patch<Official>(`/admin/officials/${encodeURIComponent(o.id)}`, { disabled: !o.disabled }),
    onSuccess: (_, o) => {
      void queryClient.invalidateQueries({ queryKey: OFFICIALS_KEY });
      void message.success(o.disabled ? t('adminOfficials.enabled') : t('adminOfficials.disabledDone'));
    },
  });

  const update = (next: { q?: string; agencyId?: string; page?: number }) => setParams(listParams({ q, agencyId }, next));

  const columns: TableColumnsType<Official> = [
    {
      title: t('fields.fullName'),
      key: 'name',
      width: 260,
      render: (_, o) => (
        <>
          <div>{o.fullName}</div>
          <Typography.Text type="secondary">{[o.email, o.phone].filter(Boolean).join(' · ')}</Typography.Text>
        </>
      ),
    },
    {
      title: t('adminOfficials.rolesAndAgency'),
      key: 'roles',
      render: (_, o) => (
        <ul className="plain-list compact">
          {o.roles.map((r) => (
            <li key={`${r.role}@${r.agencyId}`}>
              <strong>{t(`roles.${r.role}`)}</strong> — {r.agencyName}
            </li>
          ))}
        </ul>
      ),
    },
    {
      title: t('adminOfficials.totp'),
      key: 'totp',
      width: 120,
      render: (_, o) => (o.totpEnrolled ? t('adminOfficials.totpOn') : t('adminOfficials.totpOff')),
    },
    {
      title: t('adminOfficials.status'),
      key: 'status',
      width: 130,
      render: (_, o) =>
        o.disabled ? <Tag color="#8c1d18">{t('adminOfficials.disabled')}</Tag> : <Tag color="#1e5b2e">{t('adminOfficials.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      render: (_, o) => (
        <Space wrap>
          <Button size="small" onClick={() => setEditing(o)} aria-label={t('adminOfficials.editRolesAria', { name: o.fullName })}>
            {t('adminOfficials.editRoles')}
          </Button>
          <Popconfirm
            title={o.disabled ? t('adminOfficials.enableConfirm', { name: o.fullName }) : t('adminOfficials.disableConfirm', { name: o.fullName })}
            okText={t('common.yes')}
            cancelText={t('common.no')}
            onConfirm={() => toggle.mutate(o)}
          >
            <Button size="small" danger={!o.disabled}>
              {o.disabled ? t('adminOfficials.enable') : t('adminOfficials.disable')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
            {t('adminOfficials.create')}
          </Button>
        }
      >
        {t('adminOfficials.title')}
      </PageTitle>
      <div className="toolbar">
        <SearchForm key={q} label={t('adminOfficials.searchLabel')} initial={q} onSearch={(value) => update({ q: value })} />
        <div className="inline-field" style={{ minWidth: 260 }}>
          <span id="official-agency-filter">{t('adminOfficials.agencyFilter')}</span>
          <AgencySelect
            aria-labelledby="official-agency-filter"
            value={agencyId || null}
            onChange={(value) => update({ agencyId: value ?? '' })}
          />
        </div>
      </div>
      <ErrorAlert error={officials.error ?? toggle.error} />
      <ScrollRegion label={t('adminOfficials.title')} minWidth={960}>
        <Table<Official>
          rowKey="id"
          columns={columns}
          dataSource={officials.data?.items ?? []}
          loading={officials.isFetching}
          locale={{ emptyText: <span><TeamOutlined aria-hidden /> {t('adminOfficials.empty')}</span> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: officials.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => update({ page: p }),
          }}
        />
      </ScrollRegion>
      {creating ? (
        <CreateOfficialModal
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
          }}
        />
      ) : null}
      {created ? <TemporaryPasswordModal created={created} onClose={() => setCreated(null)} /> : null}
      {editing ? <EditRolesModal official={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
