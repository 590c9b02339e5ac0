import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CalendarDay } from '../types';

/** A day's mark in the month grid: 休 for a holiday, 班 for a make-up working day, with its name. */
export default function DayMark({ day }: { day: CalendarDay }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`day-${day.date}`} data-kind={day.kind}>
      <Tag color={day.kind === 'holiday' ? 'red' : 'blue'} style={{ marginInlineEnd: 4 }}>
        {t(`calendar.marks.${day.kind}`)}
      </Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {day.name}
      </Typography.Text>
    </div>
  );
}
