import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Radio, Space, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { DossierDetail } from '@motcua/contracts';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DossierTimeline } from '../components/DossierTimeline';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageState';
import { DossierStatusTag } from '../components/StatusTag';
import { formatDateTimeShort } from '../lib/format';
import { useServerFieldErrors } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';

type LookupForm = { code: string; by: 'phone4' | 'id4'; last4: string };

/** Public status of a dossier: its code and the last four digits of the applicant's phone or ID. */
export function LookupPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LookupForm>();
  const [by, setBy] = useState<'phone4' | 'id4'>('phone4');
  useDocumentTitle(t('lookup.title'));
  const lookup = useMutation({
    mutationFn: (v: LookupForm) => api.get<DossierDetail>('/dossiers/lookup', { code: v.code.trim(), [v.by]: v.last4.trim() }),
  });
  const otherErrors = useServerFieldErrors(form, lookup.error, ['code']);
  const d = lookup.data;
  const agency = d ? (i18n.language === 'en' && d.receivingAgency.nameEn ? d.receivingAgency.nameEn : d.receivingAgency.name) : '';

  return (
    <>
      <PageTitle>{t('lookup.title')}</PageTitle>
      <Typography.Paragraph>{t('lookup.intro')}</Typography.Paragraph>
      <Card className="lookup-card">
        <Form<LookupForm>
          form={form}
          layout="vertical"
          noValidate
          initialValues={{ code: params.get('code') ?? '', by: 'phone4', last4: '' }}
          onFinish={(v) => lookup.mutate(v)}
          className="lookup-form"
        >
          <Form.Item
            name="code"
            label={t('lookup.code')}
            extra={t('lookup.codeHint')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { min: 3, message: t('validation.minChars', { min: 3 }) },
            ]}
          >
            <Input autoComplete="off" maxLength={60} style={{ maxWidth: 360 }} />
          </Form.Item>
          <Form.Item name="by" label={t('lookup.by')}>
            <Radio.Group onChange={(e) => setBy(e.target.value as 'phone4' | 'id4')}>
              <Radio value="phone4">{t('lookup.byPhone')}</Radio>
              <Radio value="id4">{t('lookup.byId')}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="last4"
            label={by === 'phone4' ? t('lookup.phone4') : t('lookup.id4')}
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: /^\s*\d{4}\s*$/, message: t('lookup.fourDigits') },
            ]}
          >
            <Input inputMode="numeric" autoComplete="off" maxLength={4} style={{ maxWidth: 140 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />} loading={lookup.isPending}>
            {t('lookup.submit')}
          </Button>
        </Form>
      </Card>
      <div aria-live="polite">
        <ErrorAlert error={lookup.error} extra={otherErrors} />
        {d ? (
          <Card className="section-card" data-testid="lookup-result" title={<h2 className="card-heading">{d.procedure.name}</h2>}>
            <Space wrap style={{ marginBottom: 12 }}>
              <DossierStatusTag status={d.status} />
              {d.code ? <code>{d.code}</code> : null}
            </Space>
            <Typography.Paragraph>{t(`myDossier.explain.${d.status}`)}</Typography.Paragraph>
            <Descriptions column={1} size="small" styles={{ label: { width: '40%' } }}>
              <Descriptions.Item label={t('dossier.receivingAgency')}>{agency}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.receivedAt')}>{d.receivedAt ? formatDateTimeShort(d.receivedAt) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('dossier.dueAt')}>{d.dueAt ? formatDateTimeShort(d.dueAt) : '—'}</Descriptions.Item>
              {d.returnedAt ? <Descriptions.Item label={t('dossier.returnedAt')}>{formatDateTimeShort(d.returnedAt)}</Descriptions.Item> : null}
            </Descriptions>
            <h3 className="sub-heading">{t('dossier.timeline')}</h3>
            <DossierTimeline dossier={d} showActors={false} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
