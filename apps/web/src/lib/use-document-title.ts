import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Every page announces its own title to screen readers and browser tabs. */
export function useDocumentTitle(title: string): void {
  const { t } = useTranslation();
  const site = t('app.shortName');
  useEffect(() => {
    document.title = title ? `${title} · ${site}` : site;
  }, [title, site]);
}
