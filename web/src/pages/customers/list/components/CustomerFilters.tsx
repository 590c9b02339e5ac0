import { Button, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entity } from '../../../../api/types';
import { localized } from '../../../../services/entity';
import type { AssignableUser } from '../../../../api/workspace-types';
import DepartmentPicker from '../../../../components/DepartmentPicker';
import UserPicker from '../../../../components/UserPicker';
import type { CustomerFilterValues } from '../types';

interface Props {
  form: FormInstance<CustomerFilterValues>;
  entity: Entity | undefined;
  /** The account manager chosen before, so the filter shows a name at once. */
  owner: AssignableUser | undefined;
  onOwnerPick: (user: AssignableUser | undefined) => void;
  onSearch: (values: CustomerFilterValues) => void;
  onReset: () => void;
}

export default function CustomerFilters({ form, entity, owner, onOwnerPick, onSearch, onReset }: Props) {
  const { t, i18n } = useTranslation();
  const options = (name: string) =>
    (entity?.fields.find((f) => f.name === name)?.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, i18n.language) }));
  const span = { xs: 24, sm: 12, lg: 8, xl: 6 };
  return (
    <Form form={form} name="customerFilter" layout="vertical" onFinish={onSearch} aria-label={t('customers.filters')}>
      <Row gutter={16}>
        <Col {...span}>
          <Form.Item name="q" label={t('customers.filter.name')}>
            <Input allowClear placeholder={t('customers.filter.namePlaceholder')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="id_number" label={t('customers.filter.idNumber')}>
            <Input allowClear placeholder={t('customers.filter.exact')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="phone" label={t('customers.filter.phone')}>
            <Input allowClear placeholder={t('customers.filter.exact')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="owner_id" label={t('customers.filter.owner')}>
            <UserPicker allowClear known={owner ? [owner] : undefined} onPick={onOwnerPick} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="department_id" label={t('customers.filter.department')}>
            <DepartmentPicker allowClear placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="tags" label={t('customers.filter.tags')}>
            <Select mode="multiple" allowClear options={options('tags')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="risk_level" label={t('customers.filter.riskLevel')}>
            <Select allowClear options={options('risk_level')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="status" label={t('customers.filter.status')}>
            <Select allowClear options={options('status')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="source_channel" label={t('customers.filter.channel')}>
            <Select allowClear options={options('source_channel')} placeholder={t('common.all')} />
          </Form.Item>
        </Col>
        <Col {...span}>
          <Form.Item name="created" label={t('customers.filter.created')}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col {...span} style={{ display: 'flex', alignItems: 'flex-end', paddingBottom: 24 }}>
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
          </Space>
        </Col>
      </Row>
    </Form>
  );
}
