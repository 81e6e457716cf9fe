import { Tag } from 'antd';
import type { MessageStatus } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';

export const MESSAGE_STATUSES: readonly MessageStatus[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'temporary_failure',
  'permanent_failure',
  'technical_failure',
];

/** Solid colours with white text (WCAG AA). Events also record `retry` and `receipt`. */
export const STATUS_COLOURS: Record<string, string> = {
  queued: '#595959',
  sending: '#0b4f9c',
  sent: '#1e6b34',
  delivered: '#135200',
  temporary_failure: '#8a5300',
  permanent_failure: '#8c1d18',
  technical_failure: '#8c1d18',
  retry: '#8a5300',
  receipt: '#3f3f99',
};

export function MessageStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status] ?? '#595959'} data-testid="message-status" data-status={status}>
      {t(`notifyAdmin.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}
