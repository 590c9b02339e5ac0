import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Form, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { getBusinessDate } from '../../../../layouts/service';
import { advanceBusinessDate } from '../service';

/** The current business date and 推进营业日: to the next working day, or to a chosen later date. */
export default function BusinessDateCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const bd = useQuery({ queryKey: ['business-date'], queryFn: getBusinessDate });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ to?: Dayjs | null }>();
  const target = Form.useWatch('to', form) ?? null;
  const advance = useMutation({
    mutationFn: (to?: string) => advanceBusinessDate(to),
    onSuccess: (r) => {
      setOpen(false);
      form.resetFields();
      void message.success(t('calendar.advanced', { from: r.from, to: r.to }));
      // Much of what the app shows is as of the business date.
      void queryClient.invalidateQueries();
    },
    // A chosen day that is no working day (422 on `to`) is said under the picker.
    onError: (e) => reportError(e, form),
  });
  const current = bd.data;
  const to = target ? target.format('YYYY-MM-DD') : current?.next_working_day;
  return (
    <Card
      title={t('calendar.businessDate')}
      loading={bd.isLoading}
      extra={
        <Button type="primary" disabled={!current} onClick={() => setOpen(true)}>
          {t('calendar.advance')}
        </Button>
      }
    >
      {current && (
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('calendar.currentDate')}>
            <Typography.Text strong data-testid="current-business-date">
              {current.date}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('calendar.nextWorkingDay')}>{current.next_working_day}</Descriptions.Item>
          <Descriptions.Item label={t('calendar.dayType')}>{t(current.is_working_day ? 'calendar.workingDay' : 'calendar.nonWorkingDay')}</Descriptions.Item>
        </Descriptions>
      )}
      <Modal
        open={open}
        title={t('calendar.advance')}
        okText={t('calendar.advanceOk')}
        confirmLoading={advance.isPending}
        onOk={() => advance.mutate(target ? target.format('YYYY-MM-DD') : undefined)}
        onCancel={() => {
          setOpen(false);
          form.resetFields();
        }}
        destroyOnHidden
      >
        {/* The server's word on a date holds for that date only: another one clears it. */}
        <Form form={form} layout="vertical" name="advanceBusinessDate" onValuesChange={() => form.setFields([{ name: 'to', errors: [] }])}>
          <Form.Item name="to" label={t('calendar.target')} extra={t('calendar.targetHint')}>
            <DatePicker
              allowClear
              style={{ width: '100%' }}
              aria-label={t('calendar.target')}
              disabledDate={(d) => (current ? !d.isAfter(dayjs(current.date), 'day') : false)}
            />
          </Form.Item>
        </Form>
        {current && to && (
          <Typography.Paragraph data-testid="advance-summary">
            {t('calendar.advanceConfirm', { from: current.date, to })}
          </Typography.Paragraph>
        )}
      </Modal>
    </Card>
  );
}
