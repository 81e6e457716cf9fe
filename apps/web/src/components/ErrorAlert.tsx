import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../api/client';
import { localise } from '../lib/server-errors';

/** Explain a failed request in the interface language, with the request id for the help desk. */
export function errorText(error: unknown, lng: string, t: (key: string) => string): string {
  if (error instanceof ApiRequestError) {
    if (error.localMessage) return localise(error.localMessage, lng);
    if (error.status === 0) return t('errors.network');
  }
  return t('errors.unexpected');
}

export function ErrorAlert({ error, extra }: { error: unknown; extra?: string[] }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  // The request id helps the help desk find a server fault; a refusal explains itself.
  const requestId = error instanceof ApiRequestError && error.status >= 500 ? error.requestId : null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errorText(error, i18n.language, t)}
      description={
        extra?.length || requestId ? (
          <>
            {extra?.map((line) => <div key={line}>{line}</div>)}
            {requestId ? <div>{t('errors.requestId', { id: requestId })}</div> : null}
          </>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
