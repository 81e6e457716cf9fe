import { Suspense, useEffect, useState } from 'react';
import { Button, Drawer, Grid, Layout, Tag } from 'antd';
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import type { Me } from '@motcua/contracts';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe, useSignOut } from '../auth/session';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './PageState';
import { Brand } from './PublicLayout';
import { SkipLink } from './SkipLink';
import { menuFor } from './staff-menu';

/** Distinct agencies the user holds roles in, first one first. */
export function agenciesOf(me: Me): string[] {
  return [...new Set(me.roles.map((r) => r.agencyName))];
}

function StaffNav({ me, onNavigate }: { me: Me; onNavigate?: () => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('nav.staffLabel')} className="staff-nav" data-testid="staff-menu">
      {menuFor(me).map((group) => (
        <div key={group.key} className="staff-nav-group">
          {group.labelKey ? (
            <p className="staff-nav-heading" id={`nav-${group.key}`}>
              {t(group.labelKey)}
            </p>
          ) : null}
          <ul aria-labelledby={group.labelKey ? `nav-${group.key}` : undefined}>
            {group.items.map((item) => (
              <li key={item.key}>
                <NavLink to={item.to} end={item.to === '/staff'} onClick={onNavigate} data-menu-key={item.key}>
                  {t(item.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function UserCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const roles = [...new Set(me.roles.map((r) => r.role))];
  return (
    <div className="staff-user" data-testid="staff-user">
      <div className="staff-user-name">
        <UserOutlined aria-hidden /> {me.fullName}
      </div>
      <div className="staff-user-agency">{agenciesOf(me).join(' · ')}</div>
      <div className="staff-user-roles">
        {roles.map((role) => (
          <Tag key={role}>{t(`roles.${role}`)}</Tag>
        ))}
      </div>
    </div>
  );
}

export function StaffLayout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isDesktop = !!screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  useEffect(() => setDrawerOpen(false), [location.pathname]);
  if (!me) return null;

  const onSignOut = async () => {
    await signOut();
    void navigate('/signin', { replace: true });
  };

  return (
    <Layout className="app-layout staff-layout">
      <SkipLink />
      <Layout.Header className="site-header">
        <Brand />
        <span className="staff-badge">{t('staff.console')}</span>
        <div className="header-actions">
          {isDesktop ? (
            <span className="header-user">
              <UserOutlined aria-hidden /> {me.fullName}
            </span>
          ) : null}
          <LanguageSwitch onDark />
          {isDesktop ? (
            <Button type="text" className="on-dark" icon={<LogoutOutlined aria-hidden />} onClick={() => void onSignOut()}>
              {t('nav.signout')}
            </Button>
          ) : (
            <Button
              type="text"
              className="on-dark"
              icon={<MenuOutlined aria-hidden />}
              aria-label={t('nav.openMenu')}
              aria-expanded={drawerOpen}
              aria-controls="staff-nav-drawer"
              onClick={() => setDrawerOpen(true)}
            />
          )}
        </div>
      </Layout.Header>
      <Layout hasSider={isDesktop}>
        {isDesktop ? (
          <Layout.Sider width={260} theme="light" className="staff-sider">
            <UserCard me={me} />
            <StaffNav me={me} />
          </Layout.Sider>
        ) : (
          <Drawer
            id="staff-nav-drawer"
            title={t('nav.menu')}
            placement="left"
            size={290}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
          >
            <UserCard me={me} />
            <StaffNav me={me} onNavigate={() => setDrawerOpen(false)} />
            <Button block icon={<LogoutOutlined aria-hidden />} onClick={() => void onSignOut()} style={{ marginTop: 16 }}>
              {t('nav.signout')}
            </Button>
          </Drawer>
        )}
        <Layout>
          <Layout.Content id="main" tabIndex={-1} className="site-main staff-main">
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
          <Layout.Footer className="staff-footer">
            <Tag color="#7a4a00">{t('footer.demoData')}</Tag> {t('footer.hotline')}: <strong>{t('footer.hotlineNumber')}</strong>
          </Layout.Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
