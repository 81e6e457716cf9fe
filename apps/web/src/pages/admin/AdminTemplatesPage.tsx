import { useTranslation } from 'react-i18next';
import { ComingSoonPage } from '../../components/PageState';

/** Placeholder: being built. */
export function AdminTemplatesPage() {
  const { t } = useTranslation();
  return <ComingSoonPage title={t('staff.featureComingSoon')} />;
}
