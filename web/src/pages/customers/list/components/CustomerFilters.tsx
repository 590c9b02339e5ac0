import { Button, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AssignableUser, Entity } from '../../../../api/types';
import DepartmentPicker from '../../../../components/DepartmentPicker';
import UserPicker from '../../../../components/UserPicker';
import { localized } from '../../../../services/entity';
import { isPartialPhone, phoneTailOf } from '../service';
import type { CustomerFilterValues } from '../types';

interface Props {
  form: FormInstance<CustomerFilterValues>;
  entity: Entity | undefined;
  /** The account manager chosen before, so the filter shows a name at once. */
  owner: AssignableUser | undefined;
  onOwnerPick: (user: AssignableUser | undefined) => void;
  collapsed: boolean;
  onCollapse: (collapsed: boolean) => void;
  onSearch: (values: CustomerFilterValues) => void;
  onReset: () => void;
}

// What the collapsed filter bar keeps in view: the searches staff make most.
const FIRST_ROW = ['q', 'phone', 'phone_tail', 'owner_id'] as const;

/** The filters set among those the collapsed bar hides, to say how many are at work out of sight. */
export function hiddenFilterCount(values: CustomerFilterValues): number {
  return Object.entries(values).filter(
    ([k, v]) => !(FIRST_ROW as readonly string[]).includes(k) && v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
  ).length;
}

export default function CustomerFilters({ form, entity, owner, onOwnerPick, collapsed, onCollapse, onSearch, onReset }: Props) {
  const { t, i18n } = useTranslation();
  const phone = Form.useWatch('phone', form);
  const values = Form.useWatch([], form);
  const options = (name: string) =>
    (entity?.fields.find((f) => f.name === name)?.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, i18n.language) }));
  const span = { xs: 24, sm: 12, lg: 8, xl: 6 };
  // Hidden, not unmounted: a collapsed filter keeps its value and still applies.
  const more = { ...span, style: collapsed ? { display: 'none' } : undefined };
  const tail = isPartialPhone(phone) ? phoneTailOf(phone) : undefined;
  const hidden = values ? hiddenFilterCount(values) : 0;

  const searchByTail = (digits: string) => {
    // The phone box is emptied, and its hint with it.
    form.setFields([
      { name: 'phone', value: undefined, errors: [], warnings: [] },
      { name: 'phone_tail', value: digits, errors: [] },
    ]);
    form.submit();
  };

  return (
    <Form
      form={form}
      name="customerFilter"
      layout="vertical"
      onFinish={(v) => {
        // The server matches whole numbers only; the hint under the field says what to do instead.
        if (!isPartialPhone(v.phone)) onSearch(v);
      }}
      aria-label={t('customers.filters')}
    >
      <Row gutter={16}>
        <Col {...span}>
          <Form.Item name="q" label={t('customers.filter.name')}>
            <Input allowClear placeholder={t('customers.filter.namePlaceholder')} maxLength={100} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item
            name="phone"
            label={t('customers.filter.phone')}
            rules={[
              {
                warningOnly: true,
                validator: (_r, v: string | undefined) => (isPartialPhone(v) ? Promise.reject(new Error(t('customers.filter.partialPhone'))) : Promise.resolve()),
              },
            ]}
            extra={
              tail && (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => searchByTail(tail)}>
                  {t('customers.filter.useTail', { tail })}
                </Button>
              )
            }
          >
            <Input allowClear placeholder={t('customers.filter.wholeNumber')} inputMode="tel" maxLength={20} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="phone_tail" label={t('customers.filter.phoneTail')} rules={[{ pattern: /^\d{4}$/, message: t('customers.filter.phoneTailInvalid') }]}>
            <Input allowClear placeholder={t('customers.filter.phoneTailPlaceholder')} inputMode="numeric" maxLength={4} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="owner_id" label={t('customers.filter.owner')}>
            <UserPicker allowClear known={owner ? [owner] : undefined} onPick={onOwnerPick} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="id_number" label={t('customers.filter.idNumber')}>
            <Input allowClear placeholder={t('customers.filter.exact')} maxLength={32} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="department_id" label={t('customers.filter.department')}>
            <DepartmentPicker allowClear placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="tags" label={t('customers.filter.tags')}>
            <Select mode="multiple" allowClear options={options('tags')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="risk_level" label={t('customers.filter.riskLevel')}>
            <Select allowClear options={options('risk_level')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="status" label={t('customers.filter.status')}>
            <Select allowClear options={options('status')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="source_channel" label={t('customers.filter.channel')}>
            <Select allowClear options={options('source_channel')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...more}>
          <Form.Item name="created" label={t('customers.filter.created')}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} style={{ display: 'flex', justifyContent: 'flex-end', paddingBottom: 8 }}>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                onReset();
              }}
            >
              {t('common.reset')}
            </Button>
            <Button type="link" icon={collapsed ? <DownOutlined /> : <UpOutlined />} onClick={() => onCollapse(!collapsed)} aria-expanded={!collapsed}>
              {collapsed ? (hidden > 0 ? t('customers.filter.expandWithCount', { count: hidden }) : t('customers.filter.expand')) : t('customers.filter.collapse')}
            </Button>
          </Space>
        </Col>
      </Row>
    </Form>
  );
}
