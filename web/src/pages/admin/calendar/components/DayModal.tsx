import { useEffect } from 'react';
import { Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { clearDay, setDay } from '../service';
import { DAY_NAME_MAX, type CalendarDay, type DayChoice } from '../types';

interface Props {
  calendarKey: string;
  date: Dayjs | null;
  day: CalendarDay | undefined;
  onClose: () => void;
  onChanged: () => void;
}

interface Values {
  choice: DayChoice;
  name?: string;
}

/** One day of the calendar: a holiday (休), a make-up working day (班), or as its weekday says. */
export default function DayModal({ calendarKey, date, day, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const choice = Form.useWatch('choice', form);
  const iso = date?.format('YYYY-MM-DD') ?? '';
  useEffect(() => {
    if (date) form.setFieldsValue({ choice: day?.kind ?? 'normal', name: day?.name ?? '' });
  }, [date, day, form]);
  const save = useMutation({
    mutationFn: async (v: Values) => {
      if (v.choice === 'normal') {
        if (day) await clearDay(calendarKey, iso);
        return;
      }
      await setDay(calendarKey, iso, v.choice, (v.name ?? '').trim());
    },
    onSuccess: () => {
      onChanged();
      onClose();
    },
    onError: (e) => reportError(e, form),
  });
  return (
    <Modal
      open={date !== null}
      title={t('calendar.dayTitle', { date: iso })}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical" name="calendarDay" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="choice" label={t('calendar.dayKind')}>
          <Radio.Group
            options={[
              { value: 'holiday', label: t('calendar.kinds.holiday') },
              { value: 'workday', label: t('calendar.kinds.workday') },
              { value: 'normal', label: t('calendar.kinds.normal') },
            ]}
          />
        </Form.Item>
        {choice !== 'normal' && (
          <Form.Item
            name="name"
            label={t('calendar.dayName')}
            rules={[
              { required: true, whitespace: true, message: t('validation.requiredField', { label: t('calendar.dayName') }) },
              { max: DAY_NAME_MAX, message: t('validation.maxLength', { max: DAY_NAME_MAX }) },
            ]}
          >
            <Input maxLength={DAY_NAME_MAX} placeholder={t(choice === 'workday' ? 'calendar.workdayNamePlaceholder' : 'calendar.holidayNamePlaceholder')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
