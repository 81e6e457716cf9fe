import { Button } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

/** Offers the other language, written in that language (as language pickers should be). */
export function LanguageSwitch({ onDark = false }: { onDark?: boolean }) {
  const { t, i18n } = useTranslation();
  const target = i18n.language === 'en' ? 'vi' : 'en';
  return (
    <Button
      type={onDark ? 'text' : 'default'}
      icon={<GlobalOutlined aria-hidden />}
      lang={target}
      aria-label={t('lang.switchAria')}
      data-testid="language-switch"
      className={onDark ? 'on-dark' : undefined}
      onClick={() => void setLanguage(target)}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
