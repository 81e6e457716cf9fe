import { Alert, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { SigningCertificate } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../../api/client';
import { uploadCertificate } from '../../../api/signing';
import { AgencySelect } from '../../../components/AgencySelect';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { localise, useServerFieldErrors } from '../../../lib/server-errors';

type UploadForm = { agencyId: string | null; file: File | null; password?: string };

/** What the file picker offers; the server decides by reading the file. */
const ACCEPT_P12 = '.p12,.pfx,application/x-pkcs12';

/**
 * A native file input as a Form.Item control: the label's `for` and the validation state reach
 * the input itself.
 */
function P12FileInput({
  id,
  onChange,
  'aria-invalid': ariaInvalid,
  'aria-describedby': describedBy,
  'aria-required': ariaRequired,
}: {
  id?: string;
  value?: File | null;
  onChange?: (file: File | null) => void;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-describedby'?: string;
  'aria-required'?: boolean | 'true' | 'false';
}) {
  return (
    <input
      id={id}
      type="file"
      accept={ACCEPT_P12}
      data-testid="certificate-file"
      aria-invalid={ariaInvalid}
      aria-describedby={describedBy}
      aria-required={ariaRequired}
      onChange={(e) => onChange?.(e.target.files?.[0] ?? null)}
    />
  );
}

/**
 * Upload an agency's PKCS#12 (.p12/.pfx) with its password. The server's refusals (wrong
 * password, not a PKCS#12, expired, not a signing certificate, ...) are shown in the summary
 * and beside the field they concern, in the interface language.
 */
export function UploadCertificateModal({
  defaultAgencyId,
  onClose,
  onUploaded,
}: {
  defaultAgencyId: string | null;
  onClose: () => void;
  onUploaded: (certificate: SigningCertificate) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<UploadForm>();
  const send = useMutation({
    mutationFn: (v: UploadForm) => uploadCertificate(v.agencyId!, v.file!, v.password ?? ''),
    onSuccess: onUploaded,
  });
  useServerFieldErrors(form, send.error, ['agencyId', 'file', 'password']);
  // A refusal of the file names its reason in a field message: the summary repeats each one, so
  // that the reason is read out with the alert and seen without looking for the field.
  const reasons = send.error instanceof ApiRequestError ? send.error.fields.map((f) => localise(f.message, i18n.language)) : [];

  return (
    <Modal
      open
      title={t('certificates.upload.title')}
      onCancel={onClose}
      okText={t('certificates.upload.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={send.isPending}
      width={640}
    >
      <div data-testid="certificate-upload-error">
        <ErrorAlert error={send.error} extra={reasons} />
      </div>
      <Form<UploadForm>
        form={form}
        layout="vertical"
        noValidate
        requiredMark="optional"
        initialValues={{ agencyId: defaultAgencyId, file: null, password: '' }}
        onFinish={(v) => send.mutate(v)}
      >
        <Form.Item name="agencyId" label={t('certificates.upload.agency')} rules={[{ required: true, message: t('validation.required') }]}>
          <AgencySelect allowClear={false} />
        </Form.Item>
        <Form.Item
          name="file"
          label={t('certificates.upload.file')}
          extra={t('certificates.upload.fileHelp')}
          rules={[{ required: true, message: t('certificates.upload.fileRequired') }]}
        >
          <P12FileInput />
        </Form.Item>
        <Form.Item name="password" label={t('certificates.upload.password')} extra={t('certificates.upload.passwordHelp')}>
          <Input.Password autoComplete="off" />
        </Form.Item>
        <Alert type="info" showIcon title={t('certificates.upload.replaceNote')} style={{ marginTop: 8 }} />
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
