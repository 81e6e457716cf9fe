import { Button, Card, Form, Input, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { Me, SignupBody } from '@motcua/contracts';
import { Link, Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { homeFor, useMe, useSignedIn } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading, PageTitle } from '../components/PageState';
import { useServerFieldErrors } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';

type SignupForm = { fullName: string; phone?: string; email?: string; password: string; confirm: string };

const FIELDS = ['fullName', 'phone', 'email', 'password'] as const;
/** Vietnamese mobile numbers: 10 digits starting 03/05/07/08/09, or +84 without the 0 (as the server accepts). */
const PHONE = /^(?:\+84|84|0)[35789]\d{8}$/;
export const MIN_PASSWORD = 8;

export function SignupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SignupForm>();
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const { data: me, isPending } = useMe();
  useDocumentTitle(t('signup.title'));

  const signup = useMutation({
    mutationFn: (body: SignupBody) => api.post<{ me: Me }>('/auth/signup', body),
    onSuccess: ({ me }) => {
      signedIn(me);
      void navigate(homeFor(me), { replace: true });
    },
  });
  const otherErrors = useServerFieldErrors(form, signup.error, FIELDS);

  const onFinish = (values: SignupForm) => {
    const phone = values.phone?.replace(/[\s.-]/g, '') || undefined;
    const email = values.email?.trim() || undefined;
    signup.mutate({ fullName: values.fullName.trim(), phone, email, password: values.password });
  };

  if (isPending) return <Loading />;
  // Someone already signed in has nothing to sign up for (and lands here after signing up).
  if (me) return <Navigate to={homeFor(me)} replace />;

  return (
    <div className="narrow">
      <PageTitle>{t('signup.title')}</PageTitle>
      <Card>
        <Typography.Paragraph>{t('signup.intro')}</Typography.Paragraph>
        <ErrorAlert error={signup.error} extra={otherErrors} />
        <Form<SignupForm> form={form} layout="vertical" onFinish={onFinish} requiredMark="optional" noValidate>
          <Form.Item
            name="fullName"
            label={t('fields.fullName')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input autoComplete="name" maxLength={200} />
          </Form.Item>
          <Typography.Paragraph id="contact-hint" type="secondary">
            {t('signup.contactHint')}
          </Typography.Paragraph>
          <Form.Item
            name="phone"
            label={t('fields.phone')}
            dependencies={['email']}
            rules={[
              ({ getFieldValue }) => ({
                validator(_, value?: string) {
                  const phone = value?.replace(/[\s.-]/g, '') ?? '';
                  if (!phone && !getFieldValue('email')?.trim()) return Promise.reject(new Error(t('signup.contactRequired')));
                  if (phone && !PHONE.test(phone)) return Promise.reject(new Error(t('validation.phone')));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <Input type="tel" autoComplete="tel" inputMode="tel" aria-describedby="contact-hint" />
          </Form.Item>
          <Form.Item name="email" label={t('fields.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input type="email" autoComplete="email" aria-describedby="contact-hint" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            extra={t('signup.passwordHint', { min: MIN_PASSWORD })}
            rules={[
              { required: true, message: t('validation.required') },
              { min: MIN_PASSWORD, message: t('validation.passwordMin', { min: MIN_PASSWORD }) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('fields.confirmPassword')}
            dependencies={['password']}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator(_, value?: string) {
                  if (!value || getFieldValue('password') === value) return Promise.resolve();
                  return Promise.reject(new Error(t('validation.passwordMismatch')));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={signup.isPending}>
            {t('signup.submit')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16 }}>
          {t('signup.haveAccount')} <Link to="/signin">{t('signup.signinLink')}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
