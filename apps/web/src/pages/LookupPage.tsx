import { useTranslation } from 'react-i18next';
import { ComingSoonPage } from '../components/PageState';

export function LookupPage() {
  const { t } = useTranslation();
  return <ComingSoonPage title={t('lookup.title')} description={t('lookup.comingSoon')} />;
}
