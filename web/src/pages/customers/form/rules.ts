import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import type { EntityField } from '../../../api/types';
import type { CustomerType } from '../../../services/entity';
import {
  checkBankCard,
  checkCreditCode,
  checkEmail,
  checkIdDocument,
  checkMobile,
  checkMoney,
  checkPhoneNumber,
  checkResidentId,
  type Checked,
} from '../../../utils/validators';

type Check<Code extends string> = (v: string) => Checked<Code>;

// The form sends a text trimmed (toApiValue in service.ts), so the trimmed text is what is checked:
// the same text the server will see.
function verdict<Code extends string>(check: Check<Code>, value: unknown, message: (code: Code) => string): Promise<void> {
  if (typeof value !== 'string' || value.trim() === '') return Promise.resolve();
  const checked = check(value.trim());
  return checked.ok ? Promise.resolve() : Promise.reject(new Error(message(checked.code)));
}

function rule<Code extends string>(check: Check<Code>, message: (code: Code) => string): FormRule {
  return { validator: (_r, value: unknown) => verdict(check, value, message) };
}

// An enterprise is reached on its office landline as often as on a mobile: the server takes both there.
const ENTERPRISE_PHONES = new Set(['contact_phone', 'phone']);

/** Live client-side rules for one field of a customer of `type`, refusing what the server would refuse. */
export function rulesFor(field: EntityField, t: TFunction, label: string, required: boolean, type: CustomerType = 'individual'): FormRule[] {
  const rules: FormRule[] = [];
  if (required) rules.push({ required: true, message: t('validation.requiredField', { label }) });
  if (field.max_length) rules.push({ max: field.max_length, message: t('validation.maxLength', { max: field.max_length }) });
  const residentId = (code: string) => t(`validation.residentId.${code}`);
  if (field.type === 'money') rules.push(rule(checkMoney, (code) => t(`validation.money.${code}`)));
  switch (field.format) {
    case 'resident_id':
      rules.push(rule(checkResidentId, residentId));
      break;
    case 'credit_code':
      rules.push(rule(checkCreditCode, (code) => t(`validation.creditCode.${code}`)));
      break;
    case 'mobile':
      if (type === 'enterprise' && ENTERPRISE_PHONES.has(field.name)) rules.push(rule(checkPhoneNumber, () => t('validation.phone')));
      else rules.push(rule(checkMobile, () => t('validation.mobile')));
      break;
    case 'email':
      rules.push(rule(checkEmail, () => t('validation.email')));
      break;
    case 'bank_card':
      rules.push(rule(checkBankCard, (code) => t(`validation.bankCard.${code}`)));
      break;
    case 'id_document':
      // The ID number depends on the document type: a resident ID card gets the full check.
      rules.push(({ getFieldValue }) => ({
        validator: (_r, value: unknown) => {
          const type: unknown = getFieldValue('id_type');
          if (type === 'resident_id' || type === undefined || type === null) return verdict(checkResidentId, value, residentId);
          return verdict(checkIdDocument, value, () => t('validation.idDocument'));
        },
      }));
      break;
    default:
      break;
  }
  return rules;
}

/** Why an enterprise's credit code is still missing: required while it is, 2 to the field's maximum characters. */
export function pendingReasonRules(field: EntityField, t: TFunction, label: string): FormRule[] {
  const max = field.max_length ?? 200;
  return [
    { required: true, whitespace: true, message: t('validation.requiredField', { label }) },
    { min: 2, max, message: t('validation.lengthBetween', { min: 2, max }) },
  ];
}
