import { Card, Col, Row, Typography } from 'antd';
import { ApartmentOutlined, FileSearchOutlined, LoginOutlined, UserAddOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProcedureSearch } from '../components/ProcedureSearch';
import { useDocumentTitle } from '../lib/use-document-title';

function QuickLink({ to, icon, title, text }: { to: string; icon: ReactNode; title: string; text: string }) {
  return (
    <Link to={to} className="quick-link">
      <Card hoverable className="quick-link-card">
        <span className="quick-link-icon" aria-hidden>
          {icon}
        </span>
        <span className="quick-link-title">{title}</span>
        <span className="quick-link-text">{text}</span>
      </Card>
    </Link>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle('');
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <Typography.Title level={1} id="home-title" className="hero-title">
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph className="hero-lead">{t('home.lead')}</Typography.Paragraph>
        <ProcedureSearch />
      </section>
      <section aria-labelledby="quick-links-title" className="quick-links">
        <Typography.Title level={2} id="quick-links-title">
          {t('home.quickLinks')}
        </Typography.Title>
        <Row gutter={[16, 16]}>
          <Col xs={24} sm={12} lg={6}>
            <QuickLink to="/lookup" icon={<FileSearchOutlined />} title={t('home.lookupTitle')} text={t('home.lookupText')} />
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <QuickLink to="/signin" icon={<LoginOutlined />} title={t('home.signinTitle')} text={t('home.signinText')} />
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <QuickLink to="/signup" icon={<UserAddOutlined />} title={t('home.signupTitle')} text={t('home.signupText')} />
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <QuickLink to="/agencies" icon={<ApartmentOutlined />} title={t('home.agenciesTitle')} text={t('home.agenciesText')} />
          </Col>
        </Row>
      </section>
    </>
  );
}
