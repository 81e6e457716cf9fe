import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Space } from 'antd';
import { EditOutlined, LogoutOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Profile, ProfileUpdate } from '@motcua/contracts';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ME_KEY, useSignOut } from '../auth/session';
import { useMyDossiers } from '../api/dossiers';
import { ErrorAlert } from '../components/ErrorAlert';
import { LinkButton } from '../components/LinkButton';
import { Loading, PageTitle } from '../components/PageState';
import { formatDate } from '../lib/format';
import { useServerFieldErrors } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';
import { DossierCard } from './MyDossiersPage';

const PROFILE_KEY = ['me', 'profile'] as const;
const FIELDS = ['fullName', 'dateOfBirth', 'personalId', 'address'] as const;

type ProfileForm = { fullName: string; dateOfBirth: Dayjs | null; personalId?: string; address?: string };

function ProfileEditor({ profile, onDone }: { profile: Profile; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProfileForm>();
  const save = useMutation({
    mutationFn: (body: ProfileUpdate) => api.patch<Profile>('/me/profile', body),
    onSuccess: (updated) => {
      queryClient.setQueryData(PROFILE_KEY, updated);
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      void message.success(t('me.saved'));
      onDone();
    },
  });
  const otherErrors = useServerFieldErrors(form, save.error, FIELDS);

  const onFinish = (values: ProfileForm) => {
    const body: ProfileUpdate = {
      fullName: values.fullName.trim(),
      dateOfBirth: values.dateOfBirth ? values.dateOfBirth.format('YYYY-MM-DD') : null,
      address: values.address?.trim() || null,
    };
    const personalId = values.personalId?.replace(/\s/g, '');
    if (personalId) body.personalId = personalId;
    save.mutate(body);
  };

  return (
    <>
      <ErrorAlert error={save.error} extra={otherErrors} />
      <Form<ProfileForm>
        form={form}
        layout="vertical"
        noValidate
        requiredMark="optional"
        initialValues={{
          fullName: profile.fullName,
          dateOfBirth: profile.dateOfBirth ? dayjs(profile.dateOfBirth) : null,
          address: profile.address ?? '',
          personalId: '',
        }}
        onFinish={onFinish}
      >
        <Form.Item name="fullName" label={t('fields.fullName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input autoComplete="name" maxLength={200} />
        </Form.Item>
        <Form.Item name="dateOfBirth" label={t('fields.dateOfBirth')} extra={t('me.dateFormatHint')}>
          <DatePicker
            format="DD/MM/YYYY"
            style={{ width: '100%', maxWidth: 240 }}
            disabledDate={(d) => d.isAfter(dayjs())}
            placeholder={t('me.datePlaceholder')}
          />
        </Form.Item>
        <Form.Item
          name="personalId"
          label={t('fields.personalId')}
          extra={profile.personalIdMasked ? t('me.personalIdKeep', { masked: profile.personalIdMasked }) : t('me.personalIdHint')}
          rules={[{ pattern: /^\s*\d{12}\s*$/, message: t('validation.personalId') }]}
        >
          <Input inputMode="numeric" autoComplete="off" maxLength={12} style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item name="address" label={t('fields.address')}>
          <Input.TextArea autoComplete="street-address" maxLength={500} rows={2} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}

function RecentDossiers() {
  const { t } = useTranslation();
  const list = useMyDossiers(1, 5);
  return (
    <Card
      title={<h2 className="card-heading">{t('me.dossiers')}</h2>}
      extra={list.data && list.data.total > 0 ? <Link to="/me/dossiers">{t('me.allDossiers', { count: list.data.total })}</Link> : null}
    >
      <ErrorAlert error={list.error} />
      {list.isPending ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <Empty description={t('me.noDossiers')}>
          <LinkButton type="primary" to="/procedures">
            {t('myDossiers.findProcedure')}
          </LinkButton>
        </Empty>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <ul className="card-list">
          {list.data.items.map((d) => (
            <DossierCard key={d.id} d={d} headingLevel={3} />
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

export function MePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const [editing, setEditing] = useState(false);
  useDocumentTitle(t('me.title'));
  const profile = useQuery({ queryKey: PROFILE_KEY, queryFn: () => api.get<Profile>('/me/profile') });

  const onSignOut = async () => {
    await signOut();
    void navigate('/', { replace: true });
  };

  return (
    <>
      <PageTitle
        extra={
          <Button icon={<LogoutOutlined aria-hidden />} onClick={() => void onSignOut()}>
            {t('nav.signout')}
          </Button>
        }
      >
        {t('me.title')}
      </PageTitle>
      <Card
        title={<h2 className="card-heading">{t('me.profile')}</h2>}
        extra={
          !editing && profile.data ? (
            <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          ) : null
        }
        style={{ marginBottom: 24 }}
      >
        <ErrorAlert error={profile.error} />
        {profile.isPending ? <Loading /> : null}
        {profile.data && editing ? <ProfileEditor profile={profile.data} onDone={() => setEditing(false)} /> : null}
        {profile.data && !editing ? (
          <Descriptions column={1} bordered size="small" data-testid="profile" styles={{ label: { width: '35%' } }}>
            <Descriptions.Item label={t('fields.fullName')}>{profile.data.fullName}</Descriptions.Item>
            <Descriptions.Item label={t('fields.phone')}>{profile.data.phone || t('common.notProvided')}</Descriptions.Item>
            <Descriptions.Item label={t('fields.email')}>{profile.data.email || t('common.notProvided')}</Descriptions.Item>
            <Descriptions.Item label={t('fields.dateOfBirth')}>
              {profile.data.dateOfBirth ? formatDate(profile.data.dateOfBirth) : t('common.notProvided')}
            </Descriptions.Item>
            <Descriptions.Item label={t('fields.personalId')}>
              <span data-testid="personal-id-masked">{profile.data.personalIdMasked || t('common.notProvided')}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('fields.address')}>{profile.data.address || t('common.notProvided')}</Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
      <RecentDossiers />
    </>
  );
}
