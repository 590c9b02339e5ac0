import { Button, Checkbox, Popover, Space } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ColumnChoice } from '../types';

interface Props {
  columns: ColumnChoice[];
  value: string[];
  onChange: (keys: string[]) => void;
  onReset: () => void;
}

export default function ColumnChooser({ columns, value, onChange, onReset }: Props) {
  const { t } = useTranslation();
  const content = (
    <div style={{ maxHeight: 360, overflow: 'auto', minWidth: 180 }}>
      <Checkbox.Group
        value={value}
        onChange={(v) => onChange(columns.map((c) => c.key).filter((k) => v.includes(k)))}
        aria-label={t('customers.columns')}
      >
        <Space direction="vertical">
          {columns.map((c) => (
            <Checkbox key={c.key} value={c.key}>
              {c.title}
            </Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
      <div style={{ marginTop: 8 }}>
        <Button size="small" onClick={onReset}>
          {t('common.reset')}
        </Button>
      </div>
    </div>
  );
  return (
    <Popover content={content} title={t('customers.columns')} trigger="click" placement="bottomRight">
      <Button icon={<SettingOutlined />} aria-label={t('customers.columns')}>
        {t('customers.columns')}
      </Button>
    </Popover>
  );
}
