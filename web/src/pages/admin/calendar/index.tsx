import { useMemo, useState } from 'react';
import { Alert, App, Button, Calendar, Card, DatePicker, Empty, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getBusinessDate } from '../../../layouts/service';
import { useFormat } from '../../../services/formatting';
import BusinessDateCard from './components/BusinessDateCard';
import CalendarSettings from './components/CalendarSettings';
import DayMark from './components/DayMark';
import DayModal from './components/DayModal';
import ImportYearModal from './components/ImportYearModal';
import { daysByDate, isWorkingDay, listCalendars, listDays } from './service';
import { DEFAULT_CALENDAR } from './types';

/** 营业日与日历: the business date and the calendar it follows, holidays and make-up days marked. */
export default function CalendarPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  // The grid opens at the business date's month, not the computer's.
  const bd = useQuery({ queryKey: ['business-date'], queryFn: getBusinessDate });
  const [picked, setShown] = useState<Dayjs | null>(null);
  const shown = picked ?? (bd.data ? dayjs(bd.data.date) : dayjs());
  const located = picked !== null || bd.data !== undefined || bd.isError;
  const [editing, setEditing] = useState<Dayjs | null>(null);
  const [importing, setImporting] = useState(false);
  const calendars = useQuery({ queryKey: ['calendars'], queryFn: listCalendars });
  const calendar = calendars.data?.items.find((c) => c.key === DEFAULT_CALENDAR) ?? calendars.data?.items[0];
  const key = calendar?.key ?? DEFAULT_CALENDAR;
  const year = shown.year();
  const days = useQuery({ queryKey: ['calendar-days', key, year], queryFn: () => listDays(key, year), enabled: calendar !== undefined && located });
  const byDate = useMemo(() => daysByDate(days.data?.items ?? []), [days.data]);
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: ['calendar-days', key] });
    void queryClient.invalidateQueries({ queryKey: ['business-date'] });
  };
  const editingDay = editing ? byDate.get(editing.format('YYYY-MM-DD')) : undefined;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <BusinessDateCard />
      <Card
        title={t('calendar.title')}
        loading={calendars.isLoading}
        extra={
          <Space>
            <DatePicker picker="year" allowClear={false} value={shown} onChange={(d) => d && setShown(shown.year(d.year()))} aria-label={t('calendar.year')} />
            <Button disabled={!calendar} onClick={() => setImporting(true)}>
              {t('calendar.importYear')}
            </Button>
          </Space>
        }
      >
        {!calendar ? (
          <Empty description={t('calendar.none')} />
        ) : (
          <>
            {days.data &&
              (days.data.imported ? (
                <Typography.Paragraph type="secondary" data-testid="year-imported">
                  {t('calendar.yearImported', { year, at: format.dateTime(days.data.imported.imported_at) })}
                </Typography.Paragraph>
              ) : (
                // The business date does not move into a year whose holidays are not in.
                <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="year-not-imported" message={t('calendar.yearNotImported', { year })} />
              ))}
            <Space style={{ marginBottom: 8 }} wrap>
              <Typography.Text type="secondary">{t('calendar.legend')}</Typography.Text>
              <Tag color="red">{t('calendar.marks.holiday')}</Tag>
              <Typography.Text type="secondary">{t('calendar.kinds.holiday')}</Typography.Text>
              <Tag color="blue">{t('calendar.marks.workday')}</Tag>
              <Typography.Text type="secondary">{t('calendar.kinds.workday')}</Typography.Text>
              <Typography.Text type="secondary">{t('calendar.clickHint')}</Typography.Text>
            </Space>
            <Calendar
              value={shown}
              onPanelChange={(d) => setShown(d)}
              onSelect={(d, info) => {
                setShown(d);
                if (info.source === 'date') setEditing(d);
              }}
              cellRender={(d, info) => {
                if (info.type !== 'date') return info.originNode;
                const day = byDate.get(d.format('YYYY-MM-DD'));
                if (day) return <DayMark day={day} />;
                // A rest day of the work week, in grey, so that a make-up day stands out against it.
                return isWorkingDay(d, undefined, calendar.work_week) ? null : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('calendar.restDay')}
                  </Typography.Text>
                );
              }}
            />
          </>
        )}
      </Card>
      {calendar && <CalendarSettings calendar={calendar} />}
      <DayModal calendarKey={key} date={editing} day={editingDay} onClose={() => setEditing(null)} onChanged={changed} />
      <ImportYearModal
        open={importing}
        calendarKey={key}
        year={year}
        onClose={() => setImporting(false)}
        onReplaced={(count) => {
          setImporting(false);
          void message.success(t('calendar.imported', { year, count }));
          changed();
        }}
      />
    </Space>
  );
}
