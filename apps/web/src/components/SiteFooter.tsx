import { Layout, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

/** Light, underlined links on the dark footer (WCAG AA contrast). */
const FOOTER_LINK = { color: '#f0f2f5', textDecoration: 'underline' } as const;

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
          <p>
            <Link to="/verify" style={FOOTER_LINK}>
              {t('verify.navLink')}
            </Link>{' '}
            ·{' '}
            <Link to="/thong-ke" style={FOOTER_LINK}>
              {t('reports.navLink')}
            </Link>
          </p>
        </div>
      </div>
    </Layout.Footer>
  );
}
