import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { JobRunStatus } from '../types';

const COLORS: Record<JobRunStatus, string> = { pending: 'default', running: 'processing', succeeded: 'success', failed: 'warning', dead: 'error' };

export default function JobRunStatusTag({ status }: { status: JobRunStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'}>{t(`jobs.statuses.${status}`, { defaultValue: status })}</Tag>;
}
