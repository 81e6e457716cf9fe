import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/session';
import { PageTitle } from '../../components/PageState';
import { menuFor } from '../../components/staff-menu';
import { useDocumentTitle } from '../../lib/use-document-title';

export function StaffHomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  useDocumentTitle(t('staff.homeTitle'));
  if (!me) return null;
  const shortcuts = menuFor(me)
    .flatMap((g) => g.items)
    .filter((i) => i.key !== 'home');
  return (
    <>
      <PageTitle>{t('staff.homeTitle')}</PageTitle>
      <Typography.Paragraph>{t('staff.welcome', { name: me.fullName })}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('staff.yourAccount')}</h2>}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('fields.fullName')}>{me.fullName}</Descriptions.Item>
              <Descriptions.Item label={t('fields.email')}>{me.email ?? t('common.notProvided')}</Descriptions.Item>
            </Descriptions>
            <h3 className="sub-heading">{t('staff.rolesHeading')}</h3>
            <ul className="plain-list" data-testid="staff-roles">
              {me.roles.map((grant) => (
                <li key={`${grant.role}@${grant.agencyId}`}>
                  <strong>{t(`roles.${grant.role}`)}</strong> — {grant.agencyName} (<code>{grant.agencyCode}</code>)
                </li>
              ))}
            </ul>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('staff.shortcuts')}</h2>}>
            {shortcuts.length ? (
              <ul className="plain-list">
                {shortcuts.map((item) => (
                  <li key={item.key}>
                    <Link to={item.to}>{t(item.labelKey)}</Link>
                  </li>
                ))}
              </ul>
            ) : (
              <Typography.Paragraph>{t('staff.noShortcuts')}</Typography.Paragraph>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
