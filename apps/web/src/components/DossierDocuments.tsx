import type { DossierDetail } from '@motcua/contracts';
import { FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DOSSIER_DOCUMENTS, documentUrl } from '../api/dossiers';

/** Printable one-stop forms of a dossier (receipt slip, supplement request, ...) as PDF downloads. */
export function DossierDocuments({ d, official = false }: { d: DossierDetail; official?: boolean }) {
  const { t } = useTranslation();
  const docs = DOSSIER_DOCUMENTS.filter((doc) => (official || !doc.staffOnly) && doc.when(d));
  if (docs.length === 0) return null;
  return (
    <>
      <h3 className="sub-heading">{t('dossier.documents')}</h3>
      <ul className="file-links" data-testid="dossier-documents">
        {docs.map((doc) => (
          <li key={doc.key}>
            <a href={documentUrl(d.id, doc.key)} download>
              <FilePdfOutlined aria-hidden /> {t(`documents.${doc.key}`)}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
