import { Layout, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <Layout.Footer className="site-footer">
      <div className="container footer-grid">
        <div>
          <p className="footer-name">{t('app.name')}</p>
          <p>
            {t('footer.hotline')}: <strong>{t('footer.hotlineNumber')}</strong>
          </p>
        </div>
        <div className="footer-meta">
          <Tag color="#7a4a00" data-testid="demo-label">
            {t('footer.demoData')}
          </Tag>
          <p>{t('footer.openSource')}</p>
        </div>
      </div>
    </Layout.Footer>
  );
}
