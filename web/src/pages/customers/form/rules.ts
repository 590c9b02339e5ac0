import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import type { EntityField } from '../../../api/types';
import {
  isValidBankCard,
  isValidCreditCode,
  isValidEmail,
  isValidIdDocument,
  isValidMobile,
  isValidResidentId,
} from '../../../utils/validators';

type Check = (v: string) => boolean;

function rule(check: Check, message: string): FormRule {
  return {
    validator: (_r, value: unknown) =>
      typeof value !== 'string' || value.trim() === '' || check(value) ? Promise.resolve() : Promise.reject(new Error(message)),
  };
}

/** Live client-side rules for one field, mirroring the server's checks. */
export function rulesFor(field: EntityField, t: TFunction, label: string, required: boolean): FormRule[] {
  const rules: FormRule[] = [];
  if (required) rules.push({ required: true, message: t('validation.requiredField', { label }) });
  if (field.max_length) rules.push({ max: field.max_length, message: t('validation.maxLength', { max: field.max_length }) });
  switch (field.format) {
    case 'resident_id':
      rules.push(rule(isValidResidentId, t('validation.residentId')));
      break;
    case 'credit_code':
      rules.push(rule(isValidCreditCode, t('validation.creditCode')));
      break;
    case 'mobile':
      rules.push(rule(isValidMobile, t('validation.mobile')));
      break;
    case 'email':
      rules.push(rule(isValidEmail, t('validation.email')));
      break;
    case 'bank_card':
      rules.push(rule(isValidBankCard, t('validation.bankCard')));
      break;
    case 'id_document':
      // The ID number depends on the document type: a resident ID card gets the check digit.
      rules.push(({ getFieldValue }) => ({
        validator: (_r, value: unknown) => {
          if (typeof value !== 'string' || value.trim() === '') return Promise.resolve();
          const type: unknown = getFieldValue('id_type');
          if (type === 'resident_id' || type === undefined || type === null) {
            return isValidResidentId(value) ? Promise.resolve() : Promise.reject(new Error(t('validation.residentId')));
          }
          return isValidIdDocument(value) ? Promise.resolve() : Promise.reject(new Error(t('validation.idDocument')));
        },
      }));
      break;
    default:
      break;
  }
  return rules;
}
