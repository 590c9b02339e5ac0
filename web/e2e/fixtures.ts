// What a browser test needs made before it starts, made through the API: each test sets up its
// own customers and users, with fixed data no other test uses, so no test depends on another
// having run first, or on what it left behind.
import type { Server } from './harness';

/** A signed-in API session. */
export class ApiSession {
  private constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async signIn(server: Server, username: string, password: string): Promise<ApiSession> {
    const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!r.ok) throw new Error(`sign-in as ${username}: ${r.status} ${await r.text()}`);
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const session = (await r.json()) as { csrf_token: string };
    return new ApiSession(server.baseUrl, cookie, session.csrf_token);
  }

  async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Cookie: this.cookie, 'X-CSRF-Token': this.csrfToken, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? undefined : await r.json()) as T;
  }
}

/** The password of a demo account, as the server printed it. */
export function demoPassword(server: Server, username: string): string {
  const p = server.passwords.get(username);
  if (!p) throw new Error(`no password for ${username}`);
  return p;
}

/** Signs a demo account in through the API. */
export function demoSession(server: Server, username: string): Promise<ApiSession> {
  return ApiSession.signIn(server, username, demoPassword(server, username));
}

/**
 * Test customers' resident ID numbers: district 110109 (not in the demo data's district table,
 * so never a demo customer's), born 1 June 1988, `sequence` telling one test's customer from
 * another's.
 */
export function residentId(sequence: number): string {
  const first17 = `11010919880601${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] ?? 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

export function wrongCheckDigit(id: string): string {
  return id.slice(0, -1) + (id.endsWith('1') ? '2' : '1');
}

/** Test mobile numbers start with 147, which the demo data never gives out. */
export function mobile(n: number): string {
  return `147${String(n).padStart(8, '0')}`;
}

export interface TestCustomer {
  name: string;
  idNumber: string;
  phone: string;
  /** The customer's page, e.g. /customers/201. */
  url: string;
}

/**
 * An individual customer created by account manager `owner` (who then owns it), with resident ID
 * number residentId(n) and mobile number mobile(n).
 */
export async function createCustomer(owner: ApiSession, name: string, n: number, extra: Record<string, unknown> = {}): Promise<TestCustomer> {
  const customer = { name, idNumber: residentId(n), phone: mobile(n) };
  const created = await owner.call<{ id: number }>('POST', '/api/v1/customers', {
    type: 'individual',
    name: customer.name,
    id_type: 'resident_id',
    id_number: customer.idNumber,
    phone: customer.phone,
    ...extra,
  });
  return { ...customer, url: `/customers/${created.id}` };
}

/**
 * Test enterprises' unified social credit codes (GB 32100-2015): 91 (a company), division 110109
 * as residentId's, `sequence` in the organisation code, and the MOD 31 check character.
 */
export function creditCode(sequence: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const first17 = `91110109${String(sequence).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17.charAt(i)) * (weights[i] ?? 0);
  const check = 31 - (sum % 31);
  return first17 + alphabet.charAt(check === 31 ? 0 : check);
}

export interface TestEnterprise {
  name: string;
  creditCode: string;
  contactPhone: string;
  url: string;
}

/** An enterprise customer of `owner` with credit code creditCode(n) and contact phone mobile(n). */
export async function createEnterprise(owner: ApiSession, name: string, n: number, extra: Record<string, unknown> = {}): Promise<TestEnterprise> {
  const enterprise = { name, creditCode: creditCode(n), contactPhone: mobile(n) };
  const created = await owner.call<{ id: number }>('POST', '/api/v1/customers', {
    type: 'enterprise',
    name,
    credit_code: enterprise.creditCode,
    contact_person: '王联系',
    contact_phone: enterprise.contactPhone,
    ...extra,
  });
  return { ...enterprise, url: `/customers/${created.id}` };
}

/** A custom text field of the customer form, added by the system administrator. */
export async function addCustomerField(server: Server, name: string, label: { 'zh-CN': string; 'en-US': string }): Promise<void> {
  const admin = await demoSession(server, 'admin');
  await admin.call('POST', '/api/v1/entities/customer/fields', { name, label, type: 'text', required: false, sensitive: false });
}

/** One password for every test user: it never contains a username, as the policy requires. */
export const TEST_USER_PASSWORD = 'Harness-Pw-7Kq2';

interface PendingChange {
  id: number;
}

export interface TestUser {
  id: number;
  username: string;
  password: string;
  /** What of the roles waits for a second administrator. */
  pending: PendingChange[];
}

/**
 * A user in the 城西支行营销一组 team, created by the system administrator with a password that
 * need not be changed. A role that needs a second administrator (risk_officer) waits, as it
 * would in the browser.
 */
export async function createUser(server: Server, username: string, displayName: string, roles: string[]): Promise<TestUser> {
  const admin = await demoSession(server, 'admin');
  const departments = await admin.call<{ items: { id: number; name: string }[] }>('GET', '/api/v1/departments');
  const team = departments.items.find((d) => d.name === '城西支行营销一组');
  if (!team) throw new Error('no department 城西支行营销一组 in the demo organisation');
  const user = await admin.call<{ id: number; pending_changes: PendingChange[] }>('POST', '/api/v1/users', {
    username,
    display_name: displayName,
    password: TEST_USER_PASSWORD,
    department_id: team.id,
    roles,
    must_change_password: false,
  });
  return { id: user.id, username, password: TEST_USER_PASSWORD, pending: user.pending_changes };
}

/** A user holding `roles` in force: the ones that wait are confirmed by security administrator sec.zhou. */
export async function createConfirmedUser(server: Server, username: string, displayName: string, roles: string[]): Promise<TestUser> {
  const user = await createUser(server, username, displayName, roles);
  const security = await demoSession(server, 'sec.zhou');
  for (const change of user.pending) await security.call('POST', `/api/v1/pending-changes/${change.id}/approve`);
  return { ...user, pending: [] };
}

/** A custom role that brings `permission`, created by security administrator `by`. */
export async function createRole(server: Server, by: string, key: string, name: { 'zh-CN': string; 'en-US': string }, permission: string): Promise<void> {
  const security = await demoSession(server, by);
  await security.call('POST', '/api/v1/roles', { key, name, permissions: [permission] });
}

/** Signs a test user in through the API. */
export function userSession(server: Server, user: TestUser): Promise<ApiSession> {
  return ApiSession.signIn(server, user.username, user.password);
}
