import { useMemo, useState } from 'react';
import { Alert, Button, Input, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { reportError } from '../../../../api/errors';
import { parseYearDays, replaceYear } from '../service';
import type { CalendarDay } from '../types';

interface Props {
  open: boolean;
  calendarKey: string;
  year: number;
  onClose: () => void;
  onReplaced: (count: number) => void;
}

/** 导入全年: a year's holidays and make-up days as JSON, pasted or uploaded, previewed, then put in place of the year's. */
export default function ImportYearModal({ open, calendarKey, year, onClose, onReplaced }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const parsed = useMemo(() => (text.trim() ? parseYearDays(text, year) : null), [text, year]);
  const close = () => {
    setText('');
    onClose();
  };
  const replace = useMutation({
    mutationFn: (days: CalendarDay[]) => replaceYear(calendarKey, year, days),
    onSuccess: (r) => {
      setText('');
      onReplaced(r.items.length);
    },
    onError: (e) => reportError(e),
  });
  const ready = parsed !== null && parsed.problems.length === 0;
  return (
    <Modal
      open={open}
      width={720}
      title={t('calendar.importTitle', { year })}
      onCancel={close}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" danger disabled={!ready} loading={replace.isPending} onClick={() => parsed && replace.mutate(parsed.days)}>
            {t('calendar.importReplace')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('calendar.importHint', { year })}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then(setText);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>{t('calendar.importFile')}</Button>
        </Upload>
        <Input.TextArea
          aria-label={t('calendar.importText')}
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={`[{"date": "${year}-10-01", "kind": "holiday", "name": "国庆节"}]`}
          style={{ fontFamily: 'monospace' }}
        />
        {parsed && parsed.problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="import-problems"
            message={t('calendar.importInvalid')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {parsed.problems.slice(0, 10).map((p, i) => (
                  <li key={i}>
                    {p.index < 0 ? t(`calendar.importProblems.${p.code}`) : t('calendar.importEntry', { n: p.index + 1, problem: t(`calendar.importProblems.${p.code}`, { year }) })}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {ready && (
          <>
            <Alert type="warning" showIcon message={t('calendar.importSummary', { year, count: parsed.days.length, holidays: parsed.days.filter((d) => d.kind === 'holiday').length, workdays: parsed.days.filter((d) => d.kind === 'workday').length })} data-testid="import-summary" />
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              pagination={false}
              scroll={{ y: 240 }}
              dataSource={parsed.days}
              columns={[
                { key: 'date', title: t('calendar.date'), dataIndex: 'date', width: 130 },
                {
                  key: 'kind',
                  title: t('calendar.dayKind'),
                  width: 120,
                  render: (_v, d) => <Tag color={d.kind === 'holiday' ? 'red' : 'blue'}>{t(`calendar.kinds.${d.kind}`)}</Tag>,
                },
                { key: 'name', title: t('calendar.dayName'), dataIndex: 'name' },
              ]}
            />
          </>
        )}
      </Space>
    </Modal>
  );
}
