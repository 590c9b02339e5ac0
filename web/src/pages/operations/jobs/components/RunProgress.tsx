import { Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { durationText, progressPercent, rateText } from '../service';
import type { JobProgress } from '../types';

/** A running run's progress: a bar when it knows its total, the count done, the rate and the time left. */
export default function RunProgress({ progress }: { progress: JobProgress }) {
  const { t, i18n } = useTranslation();
  const percent = progressPercent(progress);
  const count =
    progress.total === null
      ? t('jobs.progressDone', { done: progress.done.toLocaleString(i18n.language) })
      : t('jobs.progressOf', { done: progress.done.toLocaleString(i18n.language), total: progress.total.toLocaleString(i18n.language) });
  const details = [
    count,
    rateText(progress.rate_per_second, t, i18n.language),
    progress.eta_seconds !== null ? t('jobs.eta', { time: durationText(progress.eta_seconds * 1000, t) }) : '',
  ].filter(Boolean);
  return (
    <Space direction="vertical" size={0} style={{ width: '100%' }} data-testid="run-progress">
      {percent !== undefined && <Progress percent={percent} size="small" status="active" />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {details.join(' · ')}
      </Typography.Text>
    </Space>
  );
}
