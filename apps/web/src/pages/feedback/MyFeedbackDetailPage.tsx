import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Space, Typography } from 'antd';
import type { FeedbackDetail } from '@motcua/contracts';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { useFeedback, useSupplyInfo } from '../../api/feedback';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { formatDateTimeShort } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../NotFoundPage';
import { agencyLabel, FeedbackDeadlines, FeedbackEvents, FeedbackKindTag, FeedbackStatusTag, UserText } from './parts';

/** The question the agency asked and the form that answers it. */
function SupplyInfoPanel({ d }: { d: FeedbackDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const send = useSupplyInfo(d);
  const question = [...d.events].reverse().find((e) => e.type === 'info_requested');
  return (
    <Card className="attention-card" title={<h2 className="card-heading">{t('feedback.detail.infoTitle')}</h2>} data-testid="feedback-info-panel">
      {question ? (
        <Alert
          type="warning"
          showIcon
          title={t('feedback.detail.infoAsked', { date: formatDateTimeShort(question.at) })}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{question.text}</span>}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form
        layout="vertical"
        onFinish={() =>
          send.mutate(text.trim(), {
            onSuccess: () => {
              setText('');
              void message.success(t('feedback.detail.infoSent'));
            },
          })
        }
      >
        <Form.Item label={t('feedback.detail.infoLabel')} htmlFor="feedback-info">
          <Input.TextArea id="feedback-info" rows={4} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} />
        </Form.Item>
        <ErrorAlert error={send.error} />
        <Button type="primary" htmlType="submit" disabled={!text.trim()} loading={send.isPending}>
          {t('feedback.detail.infoSend')}
        </Button>
      </Form>
    </Card>
  );
}

/** One of my feedback items: where it stands, its deadlines, the answer and its history. */
export function MyFeedbackDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const item = useFeedback(id);
  const d = item.data;
  useDocumentTitle(d ? `${d.subject} (${d.code})` : t('feedback.detail.title'));
  if (item.error instanceof ApiRequestError && item.error.status === 404) return <NotFoundPage />;
  if (item.isPending) return <Loading />;
  if (!d) return <ErrorAlert error={item.error} />;
  const answered = d.status === 'answered' || d.status === 'published';

  return (
    <>
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link to="/me/feedback">{t('feedback.mine.title')}</Link> <span aria-hidden>›</span> <span>{d.code}</span>
      </nav>
      <PageTitle>{d.subject}</PageTitle>
      <Space wrap className="procedure-tags">
        <FeedbackKindTag kind={d.kind} />
        <FeedbackStatusTag status={d.status} />
        <span>
          {t('feedback.code')}: <code data-testid="feedback-code">{d.code}</code>
        </span>
      </Space>
      <Typography.Paragraph className="status-explained">{t(`feedback.detail.explain.${d.status}`)}</Typography.Paragraph>

      {d.status === 'info_requested' ? <SupplyInfoPanel d={d} /> : null}

      {answered && d.answer ? (
        <Card className="attention-card" title={<h2 className="card-heading">{t('feedback.answer')}</h2>} data-testid="feedback-answer">
          <UserText>{d.answer}</UserText>
          <Typography.Paragraph className="muted">
            {agencyLabel(d.agency, i18n.language)} — {formatDateTimeShort(d.answeredAt)}
          </Typography.Paragraph>
        </Card>
      ) : null}
      {d.status === 'rejected' && d.rejectReason ? (
        <Card className="attention-card" title={<h2 className="card-heading">{t('feedback.rejectReason')}</h2>} data-testid="feedback-rejected">
          <UserText>{d.rejectReason}</UserText>
        </Card>
      ) : null}

      <Row gutter={[24, 24]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('feedback.content')}</h2>} className="section-card">
            <Descriptions column={1} size="small" styles={{ label: { width: '40%' } }}>
              <Descriptions.Item label={t('feedback.form.topicLegend')}>{t(`feedback.topic.${d.topic}`)}</Descriptions.Item>
              <Descriptions.Item label={t('feedback.agency')}>{agencyLabel(d.agency, i18n.language)}</Descriptions.Item>
              {d.procedure ? <Descriptions.Item label={t('feedback.procedure')}>{d.procedure.name}</Descriptions.Item> : null}
              {d.dossier ? (
                <Descriptions.Item label={t('feedback.dossier')}>
                  <Link to={`/me/dossiers/${d.dossier.id}`}>{d.dossier.code ?? t('feedback.detail.openDossier')}</Link>
                </Descriptions.Item>
              ) : null}
            </Descriptions>
            <div style={{ marginTop: 12 }}>
              <UserText>{d.content}</UserText>
            </div>
          </Card>
          <Card title={<h2 className="card-heading">{t('feedback.deadlines')}</h2>} className="section-card">
            <FeedbackDeadlines d={d} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{t('feedback.timeline')}</h2>} className="section-card">
            <FeedbackEvents d={d} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
