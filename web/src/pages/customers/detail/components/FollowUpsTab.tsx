import { App, Button, Card, DatePicker, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FollowUp } from '../../../../api/types';
import { reportError } from '../../../../api/errors';
import { useFormat } from '../../../../services/formatting';
import { addFollowUp, listFollowUps } from '../service';
import { FOLLOWUP_CHANNELS } from '../types';

interface Props {
  customerId: string;
  canWrite: boolean;
}

interface FollowUpForm {
  channel: string;
  content: string;
  outcome?: string;
  next_followup_date?: Dayjs | null;
}

export default function FollowUpsTab({ customerId, canWrite }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FollowUpForm>();
  const list = useQuery({ queryKey: ['customer', customerId, 'followups'], queryFn: () => listFollowUps(customerId) });
  const add = useMutation({
    mutationFn: (v: FollowUpForm) =>
      addFollowUp(customerId, {
        channel: v.channel,
        content: v.content,
        outcome: v.outcome || undefined,
        next_followup_date: v.next_followup_date ? v.next_followup_date.format('YYYY-MM-DD') : undefined,
      }),
    onSuccess: () => {
      // Back to a clean form: what was red before this save is no longer wrong.
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['customer', customerId] });
      void message.success(t('followups.saved'));
    },
    onError: (e) => reportError(e, form),
  });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {canWrite && (
        <Card size="small" title={t('followups.add')}>
          <Form form={form} name="followup" layout="vertical" initialValues={{ channel: 'phone' }} onFinish={(v) => add.mutate(v)} aria-label={t('followups.add')}>
            <Space wrap align="start">
              <Form.Item name="channel" label={t('followups.channel')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select style={{ width: 160 }} options={FOLLOWUP_CHANNELS.map((c) => ({ value: c, label: t(`followups.channels.${c}`) }))} />
              </Form.Item>
              <Form.Item name="outcome" label={t('followups.outcome')}>
                <Input style={{ width: 220 }} />
              </Form.Item>
              <Form.Item name="next_followup_date" label={t('followups.nextDate')}>
                {/* The server refuses a date before its business date, which is the zone's today. */}
                <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < format.today()} />
              </Form.Item>
            </Space>
            <Form.Item name="content" label={t('followups.content')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('followups.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <List<FollowUp>
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('followups.empty') }}
        renderItem={(f) => (
          <List.Item>
            <List.Item.Meta
              title={
                <Space>
                  <Tag color="blue">{t(`followups.channels.${f.channel}`, { defaultValue: f.channel })}</Tag>
                  <Typography.Text type="secondary">{format.dateTime(f.created_at)}</Typography.Text>
                  {f.created_by_name && <Typography.Text type="secondary">{f.created_by_name}</Typography.Text>}
                </Space>
              }
              description={
                <>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{f.content}</div>
                  {f.outcome && <div>{t('followups.outcome')}: {f.outcome}</div>}
                  {f.next_followup_date && <div>{t('followups.nextDate')}: {format.date(f.next_followup_date)}</div>}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Space>
  );
}
