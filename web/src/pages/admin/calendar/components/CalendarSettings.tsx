import { useEffect } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Form, Input, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { patchCalendar, workingHoursProblem } from '../service';
import { ISO_WEEKDAYS, type BusinessCalendar, type WorkingPeriod } from '../types';

interface Values {
  work_week: number[];
  working_hours: WorkingPeriod[];
}

/** The calendar's work week and working hours, saved as of the version shown (If-Match). */
export default function CalendarSettings({ calendar }: { calendar: BusinessCalendar }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  useEffect(() => {
    form.setFieldsValue({ work_week: calendar.work_week, working_hours: calendar.working_hours });
  }, [calendar, form]);
  const save = useMutation({
    mutationFn: (v: Values) =>
      patchCalendar(calendar.key, { work_week: [...v.work_week].sort((a, b) => a - b), working_hours: v.working_hours.map((p) => ({ start: p.start.trim(), end: p.end.trim() })) }, calendar.version),
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['calendars'] });
      void queryClient.invalidateQueries({ queryKey: ['business-date'] });
    },
    onError: (e) => {
      reportError(e, form);
      void queryClient.invalidateQueries({ queryKey: ['calendars'] });
    },
  });
  return (
    <Card title={t('calendar.settings')}>
      <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('calendar.name')}>{calendar.name}</Descriptions.Item>
        <Descriptions.Item label={t('calendar.timeZone')}>{calendar.time_zone}</Descriptions.Item>
      </Descriptions>
      <Form<Values> form={form} layout="vertical" name="calendarSettings" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="work_week"
          label={t('calendar.workWeek')}
          rules={[{ type: 'array', min: 1, message: t('calendar.workWeekRequired') }]}
        >
          <Checkbox.Group options={ISO_WEEKDAYS.map((d) => ({ value: d, label: t(`calendar.weekdays.${d}`) }))} />
        </Form.Item>
        <Form.Item label={t('calendar.workingHours')} required>
          <Form.List
            name="working_hours"
            rules={[
              {
                validator: (_r, periods: WorkingPeriod[] | undefined) => {
                  const problem = workingHoursProblem(periods ?? []);
                  return problem ? Promise.reject(new Error(t(`calendar.hoursProblems.${problem}`))) : Promise.resolve();
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <Space direction="vertical">
                {fields.map((field, i) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'start']} noStyle>
                      <Input style={{ width: 90 }} placeholder="09:00" aria-label={t('calendar.periodStart', { n: i + 1 })} />
                    </Form.Item>
                    <span>–</span>
                    <Form.Item name={[field.name, 'end']} noStyle>
                      <Input style={{ width: 90 }} placeholder="12:00" aria-label={t('calendar.periodEnd', { n: i + 1 })} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('calendar.removePeriod', { n: i + 1 })} onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ start: '', end: '' })}>
                  {t('calendar.addPeriod')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
