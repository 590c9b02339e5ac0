// Client-side checks that accept exactly what the server accepts, so forms can show them live.
// Each one follows a server function step by step (named in its comment) and returns what the
// server would: the standardised text, or the code of the field violation it would report. The
// shared cases in tests/testdata/validators hold them together (validators.corpus.test.ts); the
// server stays the authority, and its 422 messages land under the same fields.

/** The standardised text the server would store, or the violation code it would report. */
export type Checked<Code extends string> = { ok: true; value: string } | { ok: false; code: Code };

function accepted<Code extends string>(value: string): Checked<Code> {
  return { ok: true, value };
}

function refused<Code extends string>(code: Code): Checked<Code> {
  return { ok: false, code };
}

/**
 * The server's FoldFullWidth: U+FF01–U+FF5E (what an input method types as ０–９, Ａ–Ｚ, ＠, ．, －, ，)
 * become ASCII and the ideographic space a space.
 */
function foldFullWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

// The server trims and removes ASCII whitespace only; String.prototype.trim and \s would also
// take the no-break space and other Unicode spaces, which the server refuses.
const ASCII_SPACE = ' \t\n\v\f\r';

function trimAsciiSpace(s: string): string {
  let begin = 0;
  let end = s.length;
  while (begin < end && ASCII_SPACE.includes(s.charAt(begin))) begin++;
  while (end > begin && ASCII_SPACE.includes(s.charAt(end - 1))) end--;
  return s.slice(begin, end);
}

function removeChars(s: string, chars: string): string {
  return [...s].filter((c) => !chars.includes(c)).join('');
}

function isAsciiDigits(s: string): boolean {
  return /^[0-9]*$/.test(s);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

// Province-level codes of GB/T 2260, the first two digits of every division code. The server
// checks these only (resident_id.cc IsProvinceCode), not the district.
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42',
  '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** ISO 7064 MOD 11-2 over the first 17 digits (GB 11643). */
function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK.charAt(sum % 11);
}

export type ResidentIdError = 'invalid_length' | 'invalid_character' | 'invalid_region' | 'invalid_birth_date' | 'invalid_checksum';

/**
 * A mainland resident ID number (GB 11643), as ResidentIdNumber::Parse: the canonical 18
 * characters, a 15-digit number converted (century 19 inserted, check character computed).
 */
export function checkResidentId(raw: string): Checked<ResidentIdError> {
  // Characters, not UTF-16 units: the server counts code points.
  const chars = [...trimAsciiSpace(foldFullWidth(raw))];
  if (chars.length !== 18 && chars.length !== 15) return refused('invalid_length');
  const checkPosition = chars.length === 18 ? 17 : -1;
  const valid = chars.every((c, i) => /^[0-9]$/.test(c) || (i === checkPosition && (c === 'X' || c === 'x')));
  if (!valid) return refused('invalid_character');
  const id = chars.join('');
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return refused('invalid_region');
  const birth = id.length === 15 ? `19${id.slice(6, 12)}` : id.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  if (!isRealDate(year, Number(birth.slice(4, 6)), Number(birth.slice(6, 8))) || year < 1900) {
    return refused('invalid_birth_date');
  }
  if (id.length === 15) {
    const first17 = id.slice(0, 6) + birth + id.slice(12, 15);
    return accepted(first17 + residentIdCheckCharacter(first17));
  }
  const canonical = id.toUpperCase();
  return residentIdCheckCharacter(canonical.slice(0, 17)) === canonical.charAt(17) ? accepted(canonical) : refused('invalid_checksum');
}

// GB 32100-2015 leaves out I, O, Z, S and V.
const CC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeError = 'invalid_length' | 'invalid_character' | 'invalid_checksum';

/**
 * A unified social credit code (GB 32100-2015), as UnifiedSocialCreditCode::Parse: full-width
 * folded, ASCII whitespace and dashes removed, a–z upper-cased (only those: "ß" must not become
 * "SS"), then 18 characters of the code alphabet, digits in the division code, MOD 31 check.
 */
export function checkCreditCode(raw: string): Checked<CreditCodeError> {
  const chars = [...removeChars(foldFullWidth(raw), `${ASCII_SPACE}-`)].map((c) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c));
  if (chars.length !== 18) return refused('invalid_length');
  const valid = chars.every((c, i) => CC_CHARS.includes(c) && (i < 2 || i > 7 || /^[0-9]$/.test(c)));
  if (!valid) return refused('invalid_character');
  const code = chars.join('');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CC_CHARS.indexOf(code.charAt(i)) * (CC_WEIGHTS[i] ?? 0);
  const check = 31 - (sum % 31);
  return CC_CHARS.charAt(check === 31 ? 0 : check) === code.charAt(17) ? accepted(code) : refused('invalid_checksum');
}

/**
 * A mainland mobile number as its 11 digits, as NormalizeMobile: full-width folded, ASCII
 * whitespace, dashes and parentheses removed, then one country code (+86, 0086, or 86 before 11
 * digits). Landlines are refused.
 */
export function checkMobile(raw: string): Checked<'invalid_mobile'> {
  let digits = removeChars(foldFullWidth(raw), `${ASCII_SPACE}-()`);
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return /^1[3-9][0-9]{9}$/.test(digits) ? accepted(digits) : refused('invalid_mobile');
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const EMAIL_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An e-mail address with its domain in lower case, as NormalizeEmail: a practical syntax, not
 * all of RFC 5322 (no quoted local parts, no IP literals, ASCII only, at most 254 characters).
 */
export function checkEmail(raw: string): Checked<'invalid_email'> {
  const email = trimAsciiSpace(foldFullWidth(raw));
  const at = email.indexOf('@');
  if (email.length === 0 || email.length > 254 || at < 0 || email.indexOf('@', at + 1) >= 0) return refused('invalid_email');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).replace(/[A-Z]/g, (c) => c.toLowerCase());
  const localOk = EMAIL_LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
  const labels = domain.split('.');
  const domainOk = labels.length >= 2 && labels.every((l) => EMAIL_LABEL.test(l)) && !isAsciiDigits(labels[labels.length - 1] ?? '');
  return localOk && domainOk ? accepted(`${local}@${domain}`) : refused('invalid_email');
}

export type BankCardError = 'invalid_character' | 'invalid_length' | 'invalid_checksum';

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** A bank card number as its digits, as NormalizeBankCard: 12–19 digits passing the Luhn check. */
export function checkBankCard(raw: string): Checked<BankCardError> {
  const digits = removeChars(foldFullWidth(raw), `${ASCII_SPACE}-`);
  if (!isAsciiDigits(digits)) return refused('invalid_character');
  if (digits.length < 12 || digits.length > 19) return refused('invalid_length');
  return luhnValid(digits) ? accepted(digits) : refused('invalid_checksum');
}

export type MoneyError = 'invalid_decimal' | 'too_many_decimals' | 'out_of_range' | 'negative_not_allowed';

// What int64 fen holds: 92233720368547758.07 yuan.
const MAX_FEN = 2n ** 63n - 1n;

/** Removes thousands separators: a first group of 1–3 digits, then groups of exactly 3. */
function ungroup(integer: string): string | null {
  const first = integer.indexOf(',');
  if (first < 0) return integer;
  if (first === 0 || first > 3) return null;
  const groups = integer.slice(first + 1).split(',');
  return groups.every((g) => g.length === 3) ? integer.slice(0, first) + groups.join('') : null;
}

/**
 * An amount in yuan with two decimal places ("100000.00"), as Money::Parse for a money field
 * (negatives refused): thousands separators only in groups of three, a third decimal place only
 * when zero, no '+', currency signs, percentages or exponents, at most what int64 fen holds.
 * Exact: the arithmetic is BigInt, never a double.
 */
export function checkMoney(raw: string): Checked<MoneyError> {
  let s = trimAsciiSpace(foldFullWidth(raw));
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  const point = s.indexOf('.');
  const integer = ungroup(point < 0 ? s : s.slice(0, point));
  if (integer === null || integer === '' || !isAsciiDigits(integer)) return refused('invalid_decimal');
  const fraction = point < 0 ? '' : s.slice(point + 1);
  if (point >= 0 && (fraction === '' || !isAsciiDigits(fraction))) return refused('invalid_decimal');
  if (/[^0]/.test(fraction.slice(2))) return refused('too_many_decimals');
  const fen = BigInt(integer) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  // The most negative amount's magnitude is one more than the largest positive.
  if (fen > MAX_FEN + (negative ? 1n : 0n)) return refused('out_of_range');
  if (negative && fen !== 0n) return refused('negative_not_allowed');
  return accepted(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);
}

/**
 * Another identity document's number, as the server's id_document format (forms/record_codec.cc
 * StandardiseText): full-width folded, spaces and dashes removed, upper-cased, 5–20 letters or
 * digits.
 */
export function checkIdDocument(raw: string): Checked<'invalid_id_document'> {
  const v = removeChars(foldFullWidth(raw), ' -');
  return /^[A-Za-z0-9]{5,20}$/.test(v) ? accepted(v.toUpperCase()) : refused('invalid_id_document');
}

function isAsciiSpace(c: string): boolean {
  return ASCII_SPACE.includes(c);
}

/** Mainland area codes: 010 and 020–029 have three digits, every other one (0xxx) four; 0 means none. */
function areaCodeLength(digits: string): number {
  if (digits[1] === '1') return digits.startsWith('010') ? 3 : 0;
  if (digits[1] === '2') return 3;
  return digits[1] !== undefined && digits[1] >= '3' && digits[1] <= '9' ? 4 : 0;
}

/**
 * A mainland landline as "0571-88886666" or "0571-88886666-123" (NormalizeLandline in
 * src/core/contact.cc): +86 or 0086 in front stand for the area code's leading 0; the area code
 * may stand in parentheses; digit groups may be split by spaces and dashes, and the numbering plan
 * tells the area code's length; 7 or 8 digits not starting with 0 follow it, then an extension of
 * up to 6 digits, written after a dash.
 */
export function checkLandline(raw: string): Checked<'invalid_landline'> {
  const invalid = refused<'invalid_landline'>('invalid_landline');
  let text = trimAsciiSpace(foldFullWidth(raw));
  let international = false;
  for (const code of ['+86', '0086']) {
    if (text.startsWith(code)) {
      text = text.slice(code.length);
      international = true;
      break;
    }
  }
  text = trimAsciiSpace(text);
  let areaDigits = '';
  if (text.startsWith('(')) {
    const close = text.indexOf(')');
    if (close < 0) return invalid;
    areaDigits = trimAsciiSpace(text.slice(1, close));
    if (!areaDigits || !isAsciiDigits(areaDigits)) return invalid;
    text = text.slice(close + 1);
  }
  const groups: string[] = [];
  let dashBeforeLast = false;
  let separated = true;
  let dashSeen = false;
  for (const c of text) {
    if (c >= '0' && c <= '9') {
      if (separated) {
        groups.push('');
        dashBeforeLast = dashSeen;
        dashSeen = false;
        separated = false;
      }
      groups[groups.length - 1] += c;
    } else if (isAsciiSpace(c) || c === '-') {
      separated = true;
      dashSeen ||= c === '-';
    } else {
      return invalid;
    }
  }
  if (dashSeen) return invalid;
  let digits = areaDigits + groups.join('');
  if (international && digits && !digits.startsWith('0')) digits = `0${digits}`;
  if (digits.length < 2 || !digits.startsWith('0')) return invalid;
  const areaLength = areaCodeLength(digits);
  if (areaLength === 0 || digits.length < areaLength) return invalid;
  const droppedZero = international && areaDigits && !areaDigits.startsWith('0') ? 1 : 0;
  if (areaDigits && areaDigits.length + droppedZero !== areaLength) return invalid;
  let number = digits.slice(areaLength);
  let extension = '';
  if (number.length > 8) {
    const last = groups[groups.length - 1] ?? '';
    const numberLength = number.length - last.length;
    if (groups.length < 2 || !dashBeforeLast || last.length > 6 || (numberLength !== 7 && numberLength !== 8)) return invalid;
    extension = number.slice(numberLength);
    number = number.slice(0, numberLength);
  }
  if ((number.length !== 7 && number.length !== 8) || number.startsWith('0')) return invalid;
  return accepted(`${digits.slice(0, areaLength)}-${number}${extension ? `-${extension}` : ''}`);
}

/** An enterprise's phone: a mobile number (its 11 digits) or a landline (as checkLandline). */
export function checkPhoneNumber(raw: string): Checked<'invalid_phone'> {
  const mobile = checkMobile(raw);
  if (mobile.ok) return mobile;
  const landline = checkLandline(raw);
  return landline.ok ? landline : refused('invalid_phone');
}
