import { useState } from 'react';
import { Button, DatePicker, Input, Select } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { MessageFilters } from '../../../api/notify';
import { MESSAGE_STATUSES } from './MessageStatusTag';

const ISO = 'YYYY-MM-DD';
const CHANNELS = ['sms', 'email', 'in_app'] as const;

/** Search by dossier code, recipient, status, channel and the days the messages were written. */
export function MessageFiltersForm({ initial, onSearch }: { initial: MessageFilters; onSearch: (f: MessageFilters) => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState<MessageFilters>(initial);
  const set = (patch: MessageFilters) => setF((prev) => ({ ...prev, ...patch }));
  const empty = !Object.values(f).some(Boolean);
  return (
    <form
      role="search"
      aria-label={t('notifyAdmin.support.searchLabel')}
      data-testid="message-filters"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ ...f, code: f.code?.trim() || undefined, recipient: f.recipient?.trim() || undefined });
      }}
    >
      <div className="filters">
        <div>
          <label htmlFor="msg-code" className="field-label">
            {t('notifyAdmin.support.code')}
          </label>
          <Input
            id="msg-code"
            value={f.code ?? ''}
            onChange={(e) => set({ code: e.target.value })}
            placeholder={t('notifyAdmin.support.codeExample')}
            autoComplete="off"
            allowClear
          />
        </div>
        <div>
          <label htmlFor="msg-recipient" className="field-label">
            {t('notifyAdmin.support.recipient')}
          </label>
          <Input
            id="msg-recipient"
            value={f.recipient ?? ''}
            onChange={(e) => set({ recipient: e.target.value })}
            autoComplete="off"
            allowClear
          />
        </div>
        <div>
          <label htmlFor="msg-status" className="field-label">
            {t('notifyAdmin.support.status')}
          </label>
          <Select
            id="msg-status"
            style={{ width: '100%' }}
            value={f.status ?? ''}
            onChange={(value: string) => set({ status: value || undefined })}
            options={[
              { value: '', label: t('notifyAdmin.support.anyStatus') },
              ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`notifyAdmin.status.${s}`) })),
            ]}
          />
        </div>
        <div>
          <label htmlFor="msg-channel" className="field-label">
            {t('notifyAdmin.support.channel')}
          </label>
          <Select
            id="msg-channel"
            style={{ width: '100%' }}
            value={f.channel ?? ''}
            onChange={(value: string) => set({ channel: value || undefined })}
            options={[
              { value: '', label: t('notifyAdmin.support.anyChannel') },
              ...CHANNELS.map((c) => ({ value: c, label: t(`notifyAdmin.channel.${c}`) })),
            ]}
          />
        </div>
        <div>
          <label htmlFor="msg-from" className="field-label">
            {t('notifyAdmin.support.from')}
          </label>
          <DatePicker
            id="msg-from"
            style={{ width: '100%' }}
            format="DD/MM/YYYY"
            value={f.from ? dayjs(f.from) : null}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!f.to && d.isAfter(dayjs(f.to), 'day'))}
            onChange={(d) => set({ from: d ? d.format(ISO) : undefined })}
          />
        </div>
        <div>
          <label htmlFor="msg-to" className="field-label">
            {t('notifyAdmin.support.to')}
          </label>
          <DatePicker
            id="msg-to"
            style={{ width: '100%' }}
            format="DD/MM/YYYY"
            value={f.to ? dayjs(f.to) : null}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!f.from && d.isBefore(dayjs(f.from), 'day'))}
            onChange={(d) => set({ to: d ? d.format(ISO) : undefined })}
          />
        </div>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
            {t('common.search')}
          </Button>
          <Button
            disabled={empty}
            onClick={() => {
              setF({});
              onSearch({});
            }}
          >
            {t('notifyAdmin.support.clear')}
          </Button>
        </div>
      </div>
    </form>
  );
}
