import { useState } from 'react';
import { Button, Card, Progress, Radio, Space, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ExportFormat, ExportJob } from '@motcua/contracts';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Period } from '../../api/reports';
import { ErrorAlert } from '../ErrorAlert';

/**
 * The periodic report on procedure results as .xlsx or PDF: started as a job on the server, its
 * progress shown as a bar while it runs (polled), then a download link.
 */
export function ExportPanel({ agency, agencyLabel, period }: { agency: string; agencyLabel: string; period: Period }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.post<ExportJob>('/reports/exports', { agency, ...period, includeChildren: true, format }),
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ['reports', 'export', jobId],
    queryFn: () => api.get<ExportJob>(`/reports/exports/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 700),
  });
  const j = job.data;
  const running = !!j && (j.status === 'queued' || j.status === 'running');
  const dmy = (iso: string) => dayjs(iso).format('DD/MM/YYYY');
  return (
    <Card className="section-card" title={<h2 className="card-heading">{t('reports.export')}</h2>}>
      <Typography.Paragraph className="muted">
        {t('reports2.exportScope', { agency: agencyLabel, from: dmy(period.from), to: dmy(period.to) })}
      </Typography.Paragraph>
      <Space wrap>
        <Radio.Group value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label={t('reports.exportFormat')}>
          <Radio.Button value="xlsx">Excel (.xlsx)</Radio.Button>
          <Radio.Button value="pdf">PDF</Radio.Button>
        </Radio.Group>
        <Button icon={<FileExcelOutlined aria-hidden />} loading={start.isPending || running} onClick={() => start.mutate()} data-testid="export-start">
          {t('reports.exportStart')}
        </Button>
      </Space>
      {j ? (
        <div style={{ marginTop: 12, maxWidth: 480 }}>
          <Progress
            percent={j.progress}
            status={j.status === 'failed' ? 'exception' : j.status === 'succeeded' ? 'success' : 'active'}
            aria-label={t('reports2.exportProgress')}
            data-testid="export-progress"
          />
          <div role="status" data-testid="export-status" data-state={j.status}>
            {j.status === 'succeeded' && j.downloadUrl ? (
              <a href={j.downloadUrl} download={j.filename ?? undefined} data-testid="export-download">
                <DownloadOutlined aria-hidden /> {t('reports.exportDownload', { name: j.filename ?? '' })}
              </a>
            ) : j.status === 'failed' ? (
              t('reports.exportFailed', { error: j.error ?? '' })
            ) : (
              t('reports.exportRunning', { progress: j.progress })
            )}
          </div>
        </div>
      ) : null}
      <ErrorAlert error={start.error ?? job.error} />
    </Card>
  );
}
