import { useState } from 'react';
import { App, Button, Checkbox, Col, DatePicker, Form, Input, Modal, Row, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Agency, AgencyLevel } from '@motcua/contracts';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { agencyName, useAgencies } from '../../api/agencies';
import { api } from '../../api/client';
import { AGENCY_LEVELS, type AgencyWrite } from '../../api/types';
import { hasRole, useMe } from '../../auth/session';
import { AgencySelect } from '../../components/AgencySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageState';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchForm } from '../../components/SearchForm';
import { formatDate } from '../../lib/format';
import { useServerFieldErrors } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { lifecycleText } from '../AgenciesPage';
import { listParams } from '../../lib/list-params';

const PAGE_SIZE = 25;
const FIELDS = [
  'code',
  'name',
  'nameEn',
  'shortName',
  'level',
  'parentId',
  'address',
  'phone',
  'validFrom',
  'validTo',
  'successorId',
] as const;

type AgencyForm = {
  code: string;
  name: string;
  nameEn?: string;
  shortName: string;
  level: AgencyLevel;
  parentId: string | null;
  address?: string;
  phone?: string;
  validFrom: Dayjs;
  validTo: Dayjs | null;
  successorId: string | null;
};

function toForm(a: Agency | null): Partial<AgencyForm> {
  if (!a) return { validFrom: dayjs(), parentId: null, successorId: null, validTo: null };
  return {
    code: a.code,
    name: a.name,
    nameEn: a.nameEn ?? '',
    shortName: a.shortName,
    level: a.level,
    parentId: a.parentId,
    address: a.address ?? '',
    phone: a.phone ?? '',
    validFrom: dayjs(a.validFrom),
    validTo: a.validTo ? dayjs(a.validTo) : null,
    successorId: a.successorId,
  };
}

function toBody(v: AgencyForm): AgencyWrite {
  const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    nameEn: blankToNull(v.nameEn),
    shortName: v.shortName.trim(),
    level: v.level,
    parentId: v.parentId ?? null,
    address: blankToNull(v.address),
    phone: blankToNull(v.phone),
    validFrom: v.validFrom.format('YYYY-MM-DD'),
    validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
    successorId: v.successorId ?? null,
  };
}

function AgencyEditor({ agency, open, onClose }: { agency: Agency | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AgencyForm>();
  const save = useMutation({
    mutationFn: (body: AgencyWrite) =>
      agency
        ? api.patch<Agency>(`/admin/agencies/${encodeURIComponent(agency.id)}`, body)
        : api.post<Agency>('/admin/agencies', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['agencies'] });
      void queryClient.invalidateQueries({ queryKey: ['agency'] });
      void message.success(t('adminAgencies.saved'));
      onClose();
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, FIELDS);
  const required = { required: true, whitespace: true, message: t('validation.required') };

  return (
    <Modal
      open={open}
      title={agency ? t('adminAgencies.editTitle', { name: agency.name }) : t('adminAgencies.createTitle')}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={760}
    >
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<AgencyForm>
        form={form}
        layout="vertical"
        noValidate
        requiredMark="optional"
        initialValues={toForm(agency)}
        onFinish={(v) => save.mutate(toBody(v))}
        preserve={false}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="code" label={t('agencies.code')} rules={[required]} extra={t('adminAgencies.codeHint')}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="level" label={t('agencies.level')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select options={AGENCY_LEVELS.map((l) => ({ value: l, label: t(`agencyLevel.${l}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="name" label={t('adminAgencies.nameVi')} rules={[required]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nameEn" label={t('adminAgencies.nameEn')}>
              <Input lang="en" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="shortName" label={t('adminAgencies.shortName')} rules={[required]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="parentId" label={t('agencies.parent')}>
              <AgencySelect excludeId={agency?.id} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="address" label={t('fields.address')}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('fields.phone')}>
              <Input type="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="validFrom" label={t('adminAgencies.validFrom')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="validTo" label={t('adminAgencies.validTo')} extra={t('adminAgencies.validToHint')}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="successorId" label={t('adminAgencies.successor')} extra={t('adminAgencies.successorHint')}>
              <AgencySelect excludeId={agency?.id} />
            </Form.Item>
          </Col>
        </Row>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}

export function AdminAgenciesPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { data: me } = useMe();
  const canEdit = hasRole(me, 'province_admin');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const level = params.get('level') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const includeDissolved = params.get('all') === '1';
  const [editing, setEditing] = useState<{ agency: Agency | null } | null>(null);
  useDocumentTitle(t('adminAgencies.title'));

  const { data, error, isFetching } = useAgencies({
    q,
    level: level || undefined,
    includeDissolved,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const items = data?.items ?? [];
  const byId = new Map(items.map((a) => [a.id, a]));

  const update = (next: { q?: string; level?: string; all?: boolean; page?: number }) =>
    setParams(listParams({ q, level, all: includeDissolved }, next));

  const columns: TableColumnsType<Agency> = [
    { title: t('agencies.code'), dataIndex: 'code', key: 'code', width: 160, render: (c: string) => <code>{c}</code> },
    {
      title: t('agencies.name'),
      key: 'name',
      render: (_, a) => (
        <>
          <div>{agencyName(a, lng)}</div>
          <Typography.Text type="secondary">{a.shortName}</Typography.Text>
          {lifecycleText(a, t, byId, lng) ? (
            <div>
              <Typography.Text type="secondary">{lifecycleText(a, t, byId, lng)}</Typography.Text>
            </div>
          ) : null}
        </>
      ),
    },
    { title: t('agencies.level'), dataIndex: 'level', key: 'level', width: 130, render: (l: string) => t(`agencyLevel.${l}`) },
    {
      title: t('agencies.parent'),
      key: 'parent',
      render: (_, a) => {
        const parent = a.parentId ? byId.get(a.parentId) : undefined;
        return parent ? agencyName(parent, lng) : (a.parentCode ?? '');
      },
    },
    { title: t('adminAgencies.validFrom'), dataIndex: 'validFrom', key: 'validFrom', width: 120, render: (d: string) => formatDate(d) },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_, a) => (
        <Button
          size="small"
          icon={<EditOutlined aria-hidden />}
          onClick={() => setEditing({ agency: a })}
          aria-label={t('adminAgencies.editAria', { name: a.name })}
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <PageTitle
        extra={
          canEdit ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ agency: null })}>
              {t('adminAgencies.create')}
            </Button>
          ) : null
        }
      >
        {t('adminAgencies.title')}
      </PageTitle>
      {!canEdit ? <Typography.Paragraph>{t('adminAgencies.readOnly')}</Typography.Paragraph> : null}
      <div className="toolbar">
        <SearchForm key={q} label={t('agencies.searchLabel')} initial={q} onSearch={(value) => update({ q: value })} />
        <div className="inline-field">
          <span id="level-filter-label">{t('agencies.level')}</span>
          <Select
            aria-labelledby="level-filter-label"
            value={level}
            style={{ minWidth: 170 }}
            onChange={(value: string) => update({ level: value })}
            options={[
              { value: '', label: t('adminAgencies.allLevels') },
              ...AGENCY_LEVELS.map((l) => ({ value: l, label: t(`agencyLevel.${l}`) })),
            ]}
          />
        </div>
        <Checkbox checked={includeDissolved} onChange={(e) => update({ all: e.target.checked })}>
          {t('agencies.includeDissolved')}
        </Checkbox>
      </div>
      <ErrorAlert error={error} />
      <ScrollRegion label={t('adminAgencies.title')} minWidth={860}>
        <Table<Agency>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={isFetching}
          locale={{ emptyText: t('agencies.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => update({ page: p }),
          }}
        />
      </ScrollRegion>
      {editing ? <AgencyEditor agency={editing.agency} open onClose={() => setEditing(null)} /> : null}
    </>
  );
}
