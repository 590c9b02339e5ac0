// Client-side checks that mirror the server's, so forms can show them live.
// The server stays the authority: its 422 messages land under the same fields.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Mainland resident ID (GB 11643): 18 characters, birth date, ISO 7064 MOD 11-2 check digit. */
export function isValidResidentId(raw: string): boolean {
  const v = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (y < 1900 || !validDate(y, m, d)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === v[17];
}

const CC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Unified social credit code (GB 32100-2015): 18 characters, MOD 31 check character. */
export function isValidCreditCode(raw: string): boolean {
  const v = raw.trim().toUpperCase();
  if (v.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const idx = CC_CHARS.indexOf(v.charAt(i));
    if (idx < 0) return false;
    sum += idx * (CC_WEIGHTS[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return CC_CHARS[check] === v[17];
}

/** Mainland mobile number: 11 digits starting with 1[3-9]; +86 / 86 prefix and spaces allowed. */
export function isValidMobile(raw: string): boolean {
  const v = raw.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(v);
}

export function isValidEmail(raw: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw.trim());
}

/** Bank card: 12–19 digits passing the Luhn check. */
export function isValidBankCard(raw: string): boolean {
  const v = raw.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    let n = Number(v[v.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

export function isValidIdDocument(raw: string): boolean {
  const v = raw.replace(/[\s-]/g, '');
  return /^[A-Za-z0-9]{5,20}$/.test(v);
}
