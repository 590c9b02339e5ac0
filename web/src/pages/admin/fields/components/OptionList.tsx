import { Button, Col, Form, Input, Row } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** The options of a select field, each a value with its Chinese and English labels (form list "options"). */
export default function OptionList() {
  const { t } = useTranslation();
  return (
    <Form.List name="options">
      {(items, { add, remove }) => (
        <>
          {items.map((item) => (
            <Row key={item.key} gutter={8} align="middle">
              <Col span={7}>
                <Form.Item name={[item.name, 'value']} label={t('fields.optionValue')} rules={[{ required: true, message: t('validation.required') }]}>
                  <Input maxLength={40} />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item name={[item.name, 'zh']} label={t('fields.labelZh')} rules={[{ required: true, message: t('validation.required') }]}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item name={[item.name, 'en']} label={t('fields.labelEn')} rules={[{ required: true, message: t('validation.required') }]}>
                  <Input maxLength={50} />
                </Form.Item>
              </Col>
              <Col span={3}>
                <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(item.name)} />
              </Col>
            </Row>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ value: '', zh: '', en: '' })} block>
            {t('fields.addOption')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
