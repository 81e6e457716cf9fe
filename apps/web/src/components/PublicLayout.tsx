import { useEffect, useState } from 'react';
import { Button, Drawer, Grid, Layout } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe, homeFor } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLink } from './SkipLink';
import { SiteFooter } from './SiteFooter';

function PublicNavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const links: { to: string; label: string; end?: boolean }[] = [
    { to: '/', label: t('nav.home'), end: true },
    { to: '/procedures', label: t('nav.procedures') },
    { to: '/lookup', label: t('nav.lookup') },
    { to: '/agencies', label: t('nav.agencies') },
    { to: '/phan-anh', label: t('feedback.nav') },
  ];
  if (me?.kind === 'citizen') links.push({ to: '/me/dossiers', label: t('nav.myDossiers') });
  if (me) links.push({ to: homeFor(me), label: me.kind === 'official' ? t('nav.staff') : t('nav.myAccount'), end: me.kind === 'citizen' });
  else {
    links.push({ to: '/signin', label: t('nav.signin') });
    links.push({ to: '/signup', label: t('nav.signup') });
  }
  return (
    <ul className="public-nav-list">
      {links.map((l) => (
        <li key={l.to}>
          <NavLink to={l.to} end={l.end} onClick={onNavigate}>
            {l.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function Brand() {
  const { t } = useTranslation();
  return (
    <Link to="/" className="brand">
      <img src="/favicon.svg" alt="" width={32} height={32} />
      <span className="brand-text">{t('app.shortName')}</span>
    </Link>
  );
}

export function PublicLayout() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const isDesktop = !!screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();

  useEffect(() => setDrawerOpen(false), [location.pathname]);

  return (
    <Layout className="app-layout">
      <SkipLink />
      <Layout.Header className="site-header">
        <Brand />
        {isDesktop ? (
          <nav aria-label={t('nav.mainLabel')} className="public-nav">
            <PublicNavLinks />
          </nav>
        ) : null}
        <div className="header-actions">
          <LanguageSwitch onDark />
          {!isDesktop ? (
            <Button
              type="text"
              className="on-dark"
              icon={<MenuOutlined aria-hidden />}
              aria-label={t('nav.openMenu')}
              aria-expanded={drawerOpen}
              aria-controls="public-nav-drawer"
              onClick={() => setDrawerOpen(true)}
            />
          ) : null}
        </div>
      </Layout.Header>
      {!isDesktop ? (
        <Drawer
          id="public-nav-drawer"
          title={t('nav.menu')}
          placement="right"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={300}
          closable={{ 'aria-label': t('common.close') }}
        >
          <nav aria-label={t('nav.mainLabel')} className="drawer-nav">
            <PublicNavLinks onNavigate={() => setDrawerOpen(false)} />
          </nav>
        </Drawer>
      ) : null}
      <Layout.Content id="main" tabIndex={-1} className="site-main">
        <div className="container">
          <Outlet />
        </div>
      </Layout.Content>
      <SiteFooter />
    </Layout>
  );
}
