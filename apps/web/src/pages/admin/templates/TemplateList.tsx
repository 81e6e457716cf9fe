import { Checkbox, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { NotifyChannel, NotifyTemplate } from '@motcua/contracts';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { listParams } from '../../../lib/list-params';
import { localise } from '../../../lib/server-errors';
import { CHANNELS, LOCALES, editSearch } from './keys';

type EventRow = {
  event: string;
  description: NotifyTemplate['description'];
  audience: NotifyTemplate['audience'];
  templates: NotifyTemplate[];
};

function byEvent(items: NotifyTemplate[]): EventRow[] {
  const rows = new Map<string, EventRow>();
  for (const t of items) {
    const row = rows.get(t.event) ?? { event: t.event, description: t.description, audience: t.audience, templates: [] };
    row.templates.push(t);
    rows.set(t.event, row);
  }
  return [...rows.values()];
}

/** Every event with its templates per channel and language; each template links to its editor. */
export function TemplateList({ items, loading }: { items: NotifyTemplate[]; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const audience = params.get('audience') ?? '';
  const changed = params.get('changed') === '1';
  const update = (next: { audience?: string; changed?: boolean }) => setParams(listParams({ audience, changed }, next));

  const rows = byEvent(items).filter(
    (r) => (!audience || r.audience === audience) && (!changed || r.templates.some((x) => !x.isDefault)),
  );

  const columns: TableColumnsType<EventRow> = [
    {
      title: t('notifyAdmin.templates.event'),
      key: 'event',
      render: (_, r) => (
        <>
          <div>{localise(r.description, i18n.language)}</div>
          <Typography.Text type="secondary">
            <code>{r.event}</code>
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('notifyAdmin.templates.audience'),
      key: 'audience',
      width: 130,
      render: (_, r) => t(`notifyAdmin.audience.${r.audience}`),
    },
    {
      title: t('notifyAdmin.templates.templates'),
      key: 'templates',
      width: 380,
      render: (_, r) => (
        <ul className="plain-list compact">
          {CHANNELS.filter((c) => r.templates.some((x) => x.channel === c)).map((channel: NotifyChannel) => (
            <li key={channel}>
              <strong>{t(`notifyAdmin.channel.${channel}`)}:</strong>{' '}
              {LOCALES.map((locale) => {
                const tpl = r.templates.find((x) => x.channel === channel && x.locale === locale);
                if (!tpl) return null;
                return (
                  <span key={locale} style={{ marginRight: 12, whiteSpace: 'nowrap' }}>
                    <Link to={{ search: editSearch({ event: r.event, channel, locale }) }} data-testid={`edit-${r.event}-${channel}-${locale}`}>
                      {t(`notifyAdmin.locale.${locale}`)}
                      <span className="visually-hidden">
                        {' '}
                        — {t(`notifyAdmin.channel.${channel}`)} — {localise(r.description, i18n.language)}
                      </span>
                    </Link>
                    {tpl.isDefault ? null : (
                      <Tag color="#8a5300" style={{ marginLeft: 4 }}>
                        {t('notifyAdmin.templates.changedTag')}
                      </Tag>
                    )}
                  </span>
                );
              })}
            </li>
          ))}
        </ul>
      ),
    },
  ];

  return (
    <>
      <Typography.Paragraph>{t('notifyAdmin.templates.intro')}</Typography.Paragraph>
      <div className="toolbar">
        <div className="inline-field" style={{ minWidth: 220 }}>
          <label htmlFor="template-audience" className="field-label">
            {t('notifyAdmin.templates.audienceFilter')}
          </label>
          <Select
            id="template-audience"
            value={audience}
            style={{ width: '100%' }}
            options={[
              { value: '', label: t('notifyAdmin.templates.allAudiences') },
              { value: 'citizen', label: t('notifyAdmin.audience.citizen') },
              { value: 'official', label: t('notifyAdmin.audience.official') },
            ]}
            onChange={(value) => update({ audience: value })}
          />
        </div>
        <Checkbox checked={changed} onChange={(e) => update({ changed: e.target.checked })}>
          {t('notifyAdmin.templates.onlyChanged')}
        </Checkbox>
      </div>
      <ScrollRegion label={t('notifyAdmin.templates.listLabel')} minWidth={760}>
        <div data-testid="template-list">
        <Table<EventRow>
          rowKey="event"
          columns={columns}
          dataSource={rows}
          loading={loading}
          pagination={false}
          locale={{ emptyText: t('notifyAdmin.templates.empty') }}
        />
        </div>
      </ScrollRegion>
    </>
  );
}
