import { Tag } from 'antd';
import type { DossierStatus, OnlineLevel } from '@motcua/contracts';
import { useTranslation } from 'react-i18next';

/** Solid colours with white text: every pair passes WCAG AA contrast. */
const STATUS_COLOURS: Record<DossierStatus, string> = {
  draft: '#595959',
  submitted: '#3f3f99',
  awaiting_supplement_before_reception: '#8a5300',
  processing: '#0b4f9c',
  waiting_supplement: '#8a5300',
  approved: '#1e6b34',
  result_ready: '#1e6b34',
  returned: '#135200',
  refused: '#8c1d18',
  stopped: '#8c1d18',
  withdrawn: '#595959',
};

export function DossierStatusTag({ status }: { status: DossierStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} data-testid="dossier-status" data-status={status}>
      {t(`dossierStatus.${status}`)}
    </Tag>
  );
}

const LEVEL_COLOURS: Record<OnlineLevel, string> = { full: '#1e6b34', partial: '#0b4f9c', none: '#595959' };

export function OnlineLevelTag({ level }: { level: OnlineLevel }) {
  const { t } = useTranslation();
  return <Tag color={LEVEL_COLOURS[level]}>{t(`onlineLevel.${level}`)}</Tag>;
}

const TIMELINESS_COLOURS = { early: '#1e6b34', on_time: '#0b4f9c', late: '#8c1d18' } as const;

export function TimelinessTag({ value }: { value: 'early' | 'on_time' | 'late' | null }) {
  const { t } = useTranslation();
  if (!value) return null;
  return <Tag color={TIMELINESS_COLOURS[value]}>{t(`timeliness.${value}`)}</Tag>;
}

/** Due-date badges of the work queues. */
export function UrgencyTag({ overdue, dueSoon }: { overdue: boolean; dueSoon: boolean }) {
  const { t } = useTranslation();
  if (overdue) return <Tag color="#8c1d18">{t('queues.overdueBadge')}</Tag>;
  if (dueSoon) return <Tag color="#8a5300">{t('queues.dueSoonBadge')}</Tag>;
  return null;
}
