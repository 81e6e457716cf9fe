import { Alert, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { sameTemplate, useTemplates } from '../../api/notify';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, PageTitle } from '../../components/PageState';
import { localise } from '../../lib/server-errors';
import { useDocumentTitle } from '../../lib/use-document-title';
import { keyFromParams } from './templates/keys';
import { TemplateEditor } from './templates/TemplateEditor';
import { TemplateList } from './templates/TemplateList';

/**
 * Message templates (province administrators): every event's SMS, email and in-app texts in
 * Vietnamese and English. `?event=&channel=&locale=` opens one template's editor.
 */
export function AdminTemplatesPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const key = keyFromParams(params);
  const templates = useTemplates();
  const items = templates.data?.items ?? [];
  const current = key ? items.find(sameTemplate(key)) : undefined;
  const listTitle = t('notifyAdmin.templates.title');
  const title = current ? t('notifyAdmin.templates.editTitle', { event: localise(current.description, i18n.language) }) : listTitle;
  useDocumentTitle(title);

  if (!key) {
    return (
      <>
        <PageTitle>{listTitle}</PageTitle>
        <ErrorAlert error={templates.error} />
        <TemplateList items={items} loading={templates.isFetching && !templates.data} />
      </>
    );
  }

  return (
    <>
      <nav aria-label={t('notifyAdmin.templates.breadcrumb')} className="breadcrumb">
        <Link to="/staff/admin/templates">{listTitle}</Link>
      </nav>
      <PageTitle>{title}</PageTitle>
      <ErrorAlert error={templates.error} />
      {current ? (
        <>
          <Typography.Paragraph type="secondary">
            <code>{current.event}</code> · {t(`notifyAdmin.audience.${current.audience}`)} ·{' '}
            {t(`notifyAdmin.channel.${current.channel}`)} · {t(`notifyAdmin.locale.${current.locale}`)}
          </Typography.Paragraph>
          <TemplateEditor
            key={`${current.event}/${current.channel}/${current.locale}/${current.version}`}
            template={current}
            siblings={items.filter((x) => x.event === current.event)}
            onReload={() => void templates.refetch()}
          />
        </>
      ) : templates.data ? (
        <Alert type="warning" showIcon title={t('notifyAdmin.templates.notFound')} />
      ) : templates.error ? null : (
        <Loading />
      )}
    </>
  );
}
