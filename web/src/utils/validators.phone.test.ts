// The enterprise phone checks against cases in the shared corpus's format (testdata/*.json here,
// described in tests/testdata/validators/README.md), kept beside the browser's code because the
// server's corpus has no landline cases yet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLandline, checkPhoneNumber, type Checked } from './validators';

interface Case {
  input: string;
  value?: string;
  error?: string;
  why: string;
}

const checks: Record<string, (raw: string) => Checked<string>> = {
  landline: checkLandline,
  phone: checkPhoneNumber,
};

describe.each(Object.keys(checks))('%s', (name) => {
  const corpus = JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', `${name}.json`), 'utf8')) as { validator: string; cases: Case[] };

  it('is the file of its check', () => {
    expect(corpus.validator).toBe(name);
  });

  it.each(corpus.cases.map((c, i) => ({ ...c, i })))('case $i ($why): $input', (c) => {
    expect(c.value === undefined, 'exactly one of value and error').toBe(c.error !== undefined);
    const expected = c.value !== undefined ? { ok: true, value: c.value } : { ok: false, code: c.error };
    expect(checks[name]?.(c.input)).toEqual(expected);
  });
});
