import { describe, expect, it } from 'vitest';
import { checkIdDocument } from './validators';

// The other checks run the server's shared cases (validators.corpus.test.ts). This one follows the
// id_document format of forms/record_codec.cc, which those cases do not cover.
describe('checkIdDocument', () => {
  it('removes spaces and dashes and upper-cases', () => {
    expect(checkIdDocument('e1234 5678')).toEqual({ ok: true, value: 'E12345678' });
    expect(checkIdDocument('H-1234-5678')).toEqual({ ok: true, value: 'H12345678' });
  });
  it('folds full-width letters and digits as the server does', () => {
    expect(checkIdDocument('Ｅ１２３４５６７８')).toEqual({ ok: true, value: 'E12345678' });
  });
  it('refuses tabs, punctuation and Chinese characters, which the server does not remove', () => {
    expect(checkIdDocument('E1234\t5678')).toEqual({ ok: false, code: 'invalid_id_document' });
    expect(checkIdDocument('E1234.5678')).toEqual({ ok: false, code: 'invalid_id_document' });
    expect(checkIdDocument('护照12345678')).toEqual({ ok: false, code: 'invalid_id_document' });
  });
  it('takes 5 to 20 letters or digits', () => {
    expect(checkIdDocument('A1234').ok).toBe(true);
    expect(checkIdDocument('A123').ok).toBe(false);
    expect(checkIdDocument('A'.repeat(20)).ok).toBe(true);
    expect(checkIdDocument('A'.repeat(21)).ok).toBe(false);
  });
});
