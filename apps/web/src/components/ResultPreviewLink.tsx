import { Alert } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import type { DossierDetail } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';
import { filesOfKind } from '../api/dossiers';
import { resultPreviewUrl, useResultPreviewAvailable } from '../api/results';

/**
 * For the officials of a dossier being processed whose procedure has a result template: the
 * draft of the result approval would generate now (a PDF download), and what approval will do
 * with it. Renders nothing when the procedure has no template.
 */
export function ResultPreviewLink({ d }: { d: DossierDetail }) {
  const { t } = useTranslation();
  const available = useResultPreviewAvailable(d);
  if (!available) return null;
  const attached = filesOfKind(d, 'result').length > 0;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginTop: 12 }}
      data-testid="result-preview"
      title={
        <a href={resultPreviewUrl(d.id)} download data-testid="result-preview-link">
          <FilePdfOutlined aria-hidden /> {t('resultTemplates.dossier.link')}
        </a>
      }
      description={attached ? t('resultTemplates.dossier.noteAttached') : t('resultTemplates.dossier.note')}
    />
  );
}
