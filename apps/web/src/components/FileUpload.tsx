import { useId, useRef, useState } from 'react';
import { Button, Progress, Space, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import type { DossierFile } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { upload } from '../api/client';
import { ErrorAlert } from './ErrorAlert';

/** What the server accepts (magic bytes decide; this only helps the file picker). */
export const ACCEPT_PAPERS = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xlsx,.odt,application/pdf,image/jpeg,image/png,image/tiff';

/**
 * Upload one paper to a dossier with a progress bar (XMLHttpRequest's upload progress).
 * `componentId` ties it to a dossier component; `kind` is for officials (result, action).
 */
export function FileUpload({
  dossierId,
  componentId,
  kind,
  label,
  buttonText,
  onUploaded,
  testId,
  disabled,
  accept = ACCEPT_PAPERS,
}: {
  dossierId: string | (() => Promise<string>);
  componentId?: string | null;
  kind?: 'result' | 'action';
  /** Accessible name of the file input and the button, e.g. "Tải lên: Đơn đề nghị". */
  label: string;
  buttonText?: string;
  onUploaded: (file: DossierFile) => void;
  testId?: string;
  disabled?: boolean;
  accept?: string;
}) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const statusId = useId();

  const send = async (file: File) => {
    setError(null);
    setProgress({ name: file.name, percent: 0 });
    try {
      const id = typeof dossierId === 'string' ? dossierId : await dossierId();
      const fields: Record<string, string> = {};
      if (componentId) fields.componentId = componentId;
      const query = kind ? `?kind=${kind}` : '';
      const saved = await upload<DossierFile>('POST', `/dossiers/${encodeURIComponent(id)}/files${query}`, fields, file, (p) =>
        setProgress({ name: file.name, percent: p.percent }),
      );
      onUploaded(saved);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
      if (inputRef.current) inputRef.current.value = '';
    }
  };

  return (
    <div className="file-upload">
      <input
        ref={inputRef}
        type="file"
        accept={accept}
        aria-label={label}
        data-testid={testId}
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void send(file);
        }}
      />
      <Space wrap>
        <Button
          icon={<PaperClipOutlined aria-hidden />}
          // Not disabled while a file is on its way (a disabled button loses focus); a click then waits.
          onClick={() => {
            if (!progress) inputRef.current?.click();
          }}
          disabled={disabled}
          aria-busy={!!progress}
          aria-label={label}
          aria-describedby={statusId}
        >
          {buttonText ?? t('upload.choose')}
        </Button>
        <Typography.Text type="secondary">{t('upload.hint')}</Typography.Text>
      </Space>
      <div id={statusId} aria-live="polite">
        {progress ? (
          <div className="upload-progress">
            <span>{t('upload.uploading', { name: progress.name })}</span>
            <Progress percent={progress.percent} size="small" aria-label={t('upload.progressLabel', { name: progress.name })} />
          </div>
        ) : null}
      </div>
      {error ? <ErrorAlert error={error} /> : null}
    </div>
  );
}
