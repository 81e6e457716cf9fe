import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { OfficialRole, StaffQueue } from '@motcua/contracts';
import { useQueueCount } from '../../api/dossiers';
import { hasRole, useMe } from '../../auth/session';
import { PageTitle } from '../../components/PageState';
import { menuFor } from '../../components/staff-menu';
import { useDocumentTitle } from '../../lib/use-document-title';

const HOME_QUEUES: { queue: StaffQueue; roles: OfficialRole[] }[] = [
  { queue: 'to_receive', roles: ['reception_officer'] },
  { queue: 'in_progress', roles: ['specialist', 'division_head', 'agency_leader'] },
  { queue: 'overdue', roles: ['reception_officer', 'specialist', 'division_head', 'agency_leader'] },
  { queue: 'due_soon', roles: ['reception_officer', 'specialist', 'division_head', 'agency_leader'] },
  { queue: 'waiting_supplement', roles: ['reception_officer', 'specialist', 'division_head', 'agency_leader'] },
  { queue: 'ready_to_return', roles: ['reception_officer'] },
];

function QueueCount({ queue }: { queue: StaffQueue }) {
  const { t } = useTranslation();
  const count = useQueueCount(queue);
  return (
    <li>
      <Link to={`/staff/queues/${queue}`} className="queue-summary">
        <span>{t(`queues.${queue}`)}</span>
        <strong data-testid={`home-count-${queue}`}>{count.data ?? '…'}</strong>
      </Link>
    </li>
  );
}

export function StaffHomePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  useDocumentTitle(t('staff.homeTitle'));
  if (!me) return null;
  const shortcuts = menuFor(me)
    .flatMap((g) => g.items)
    .filter((i) => i.key !== 'home');
  const queues = HOME_QUEUES.filter((q) => hasRole(me, ...q.roles));
  return (
    <>
      <PageTitle>{t('staff.homeTitle')}</PageTitle>
      <Typography.Paragraph>{t('staff.welcome', { name: me.fullName })}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {queues.length ? (
          <Col xs={24}>
            <Card title={<h2 className="card-heading">{t('staff.workToday')}</h2>}>
              <ul className="queue-summary-list">
                {queues.map((q) => (
                  <QueueCount key={q.queue} queue={q.queue} />
                ))}
              </ul>
            </Card>
          </Col>
        ) : null}
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
