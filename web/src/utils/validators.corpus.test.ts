// Runs the server's validator cases (tests/testdata/validators, described in the README there)
// through the browser's checks: every case must come out as the server's does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBankCard, checkCreditCode, checkEmail, checkMobile, checkMoney, checkPhoneNumber, checkResidentId, type Checked } from './validators';

interface Case {
  input: string;
  value?: string;
  error?: string;
  why: string;
}

interface Corpus {
  validator: string;
  cases: Case[];
  province_codes?: string[];
}

const dir = join(import.meta.dirname, '../../../tests/testdata/validators');

const checks: Record<string, (raw: string) => Checked<string>> = {
  bank_card: checkBankCard,
  credit_code: checkCreditCode,
  email: checkEmail,
  mobile: checkMobile,
  money: checkMoney,
  phone: checkPhoneNumber,
  resident_id: checkResidentId,
};

function load(file: string): Corpus {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Corpus;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe.each(files)('%s', (file) => {
  const corpus = load(file);
  const check = checks[corpus.validator];

  it('names a check the browser has', () => {
    expect(`${corpus.validator}.json`).toBe(file);
    expect(check).toBeDefined();
  });

  it.each(corpus.cases.map((c, i) => ({ ...c, i })))('case $i ($why): $input', (c) => {
    expect(c.value === undefined, 'exactly one of value and error').toBe(c.error !== undefined);
    const expected = c.value !== undefined ? { ok: true, value: c.value } : { ok: false, code: c.error };
    expect(check?.(c.input)).toEqual(expected);
  });
});

it('covers every check the forms use', () => {
  expect(files).toEqual(Object.keys(checks).map((k) => `${k}.json`));
});

// The region check looks at the province code only, so all hundred two-digit prefixes are tried.
it('accepts exactly the province codes the server accepts', () => {
  const listed = new Set(load('resident_id.json').province_codes);
  expect(listed.size).toBeGreaterThan(0);
  for (let prefix = 0; prefix < 100; prefix++) {
    const province = String(prefix).padStart(2, '0');
    const checked = checkResidentId(`${province}0105900101001`);
    expect(checked.ok ? 'accepted' : checked.code, province).toBe(listed.has(province) ? 'accepted' : 'invalid_region');
  }
});
