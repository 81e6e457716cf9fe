import { Empty } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageState';
import { ProcedureSearch } from '../components/ProcedureSearch';
import { useDocumentTitle } from '../lib/use-document-title';

export function ProceduresPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  useDocumentTitle(t('procedures.title'));
  return (
    <>
      <PageTitle>{t('procedures.title')}</PageTitle>
      <ProcedureSearch key={q} initial={q} size="middle" />
      <div className="empty-block" role="status">
        <Empty
          description={
            <>
              {q ? <p>{t('procedures.searchedFor', { q })}</p> : null}
              <p>{t('procedures.comingSoon')}</p>
            </>
          }
        />
      </div>
    </>
  );
}
