import { useState } from 'react';
import { Alert, Button, Card, Form, Input, QRCode, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { LoginBody, LoginResult, Me, TotpBody } from '@motcua/contracts';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { homeFor, useMe, useSignedIn } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading, PageTitle } from '../components/PageState';
import { useServerFieldErrors } from '../lib/server-errors';
import { useDocumentTitle } from '../lib/use-document-title';

type Step =
  | { kind: 'credentials' }
  | { kind: 'totp'; challengeId: string }
  | { kind: 'enrol'; challengeId: string; secret: string; otpauthUrl: string };

/** Go back to the page that asked for sign-in when this user may see it; else to their home. */
function destination(me: Me, from: string | undefined): string {
  if (from && from !== '/signin' && from !== '/signup') {
    if (me.kind === 'official' && from.startsWith('/staff')) return from;
    if (me.kind === 'citizen' && (from.startsWith('/me') || /^\/procedures\/[^/]+\/submit(\?|$)/.test(from))) return from;
  }
  return homeFor(me);
}

function CodeForm({
  challengeId,
  endpoint,
  submitLabel,
  onSignedIn,
  onRestart,
}: {
  challengeId: string;
  endpoint: '/auth/totp' | '/auth/totp/enrol';
  submitLabel: string;
  onSignedIn: (me: Me) => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const verify = useMutation({
    mutationFn: (body: TotpBody) => api.post<LoginResult>(endpoint, body),
    onSuccess: (result) => {
      if (result.status === 'signed_in') onSignedIn(result.me);
    },
  });
  const otherErrors = useServerFieldErrors(form, verify.error, ['code']);
  return (
    <>
      <ErrorAlert error={verify.error} extra={otherErrors} />
      <Form<{ code: string }>
        form={form}
        layout="vertical"
        noValidate
        onFinish={({ code }) => verify.mutate({ challengeId, code: code.replace(/\s/g, '') })}
      >
        <Form.Item
          name="code"
          label={t('signin.codeLabel')}
          extra={t('signin.codeHint')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: t('validation.totpCode') },
          ]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus className="code-input" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={verify.isPending}>
          {submitLabel}
        </Button>
      </Form>
      <Button type="link" onClick={onRestart} style={{ paddingInline: 0, marginTop: 8 }}>
        {t('signin.restart')}
      </Button>
    </>
  );
}

export function SigninPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const { data: me, isPending } = useMe();
  const signedIn = useSignedIn();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [justSignedIn, setJustSignedIn] = useState(false);
  const [form] = Form.useForm<LoginBody>();
  useDocumentTitle(t('signin.title'));

  const finish = (user: Me) => {
    setJustSignedIn(true);
    signedIn(user);
    void navigate(destination(user, from), { replace: true });
  };

  const login = useMutation({
    mutationFn: (body: LoginBody) => api.post<LoginResult>('/auth/login', body),
    onSuccess: (result) => {
      if (result.status === 'signed_in') finish(result.me);
      else if (result.status === 'totp_required') setStep({ kind: 'totp', challengeId: result.challengeId });
      else setStep({ kind: 'enrol', challengeId: result.challengeId, secret: result.secret, otpauthUrl: result.otpauthUrl });
    },
  });
  const otherErrors = useServerFieldErrors(form, login.error, ['identifier', 'password']);

  if (isPending) return <Loading />;
  if (me && !justSignedIn) return <Navigate to={homeFor(me)} replace />;

  const restart = () => {
    login.reset();
    form.resetFields(['password']);
    setStep({ kind: 'credentials' });
  };

  return (
    <div className="narrow">
      <PageTitle>{t('signin.title')}</PageTitle>
      <Card>
        {step.kind === 'credentials' ? (
          <>
            <ErrorAlert error={login.error} extra={otherErrors} />
            <Form<LoginBody>
              form={form}
              layout="vertical"
              noValidate
              onFinish={(values) => login.mutate({ identifier: values.identifier.trim(), password: values.password })}
            >
              <Form.Item
                name="identifier"
                label={t('fields.identifier')}
                rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
              >
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={login.isPending}>
                {t('signin.submit')}
              </Button>
            </Form>
            <Typography.Paragraph style={{ marginTop: 16 }}>
              {t('signin.noAccount')} <Link to="/signup">{t('signin.signupLink')}</Link>
            </Typography.Paragraph>
          </>
        ) : null}

        {step.kind === 'totp' ? (
          <section aria-labelledby="totp-title">
            <Typography.Title level={2} id="totp-title">
              {t('signin.totpTitle')}
            </Typography.Title>
            <Typography.Paragraph>{t('signin.totpText')}</Typography.Paragraph>
            <CodeForm
              challengeId={step.challengeId}
              endpoint="/auth/totp"
              submitLabel={t('signin.verify')}
              onSignedIn={finish}
              onRestart={restart}
            />
          </section>
        ) : null}

        {step.kind === 'enrol' ? (
          <section aria-labelledby="enrol-title">
            <Typography.Title level={2} id="enrol-title">
              {t('signin.enrolTitle')}
            </Typography.Title>
            <Alert type="info" showIcon title={t('signin.enrolText')} style={{ marginBottom: 16 }} />
            <div className="enrol-qr">
              <QRCode value={step.otpauthUrl} size={176} bordered={false} aria-label={t('signin.qrLabel')} />
            </div>
            <dl className="enrol-details">
              <dt>{t('signin.secret')}</dt>
              <dd>
                <Typography.Text code copyable={{ text: step.secret }} data-testid="totp-secret">
                  {step.secret}
                </Typography.Text>
              </dd>
              <dt>{t('signin.otpauthUrl')}</dt>
              <dd>
                <Typography.Text code copyable className="break-all" data-testid="totp-url">
                  {step.otpauthUrl}
                </Typography.Text>
              </dd>
            </dl>
            <CodeForm
              challengeId={step.challengeId}
              endpoint="/auth/totp/enrol"
              submitLabel={t('signin.confirmEnrol')}
              onSignedIn={finish}
              onRestart={restart}
            />
          </section>
        ) : null}
      </Card>
    </div>
  );
}
