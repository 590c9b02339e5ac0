import { Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getBusinessDate } from '../service';

/** The business date, small, for everyone: credit logic runs on it rather than on the wall clock. */
export default function BusinessDateText() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['business-date'], queryFn: getBusinessDate, staleTime: 300_000, meta: { quietStatuses: [403, 404] } });
  if (!q.data) return null;
  return (
    <Tooltip title={t('layout.businessDateHint', { next: q.data.next_working_day })}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="topbar-business-date">
        {t('layout.businessDate', { date: q.data.date })}
      </Typography.Text>
    </Tooltip>
  );
}
