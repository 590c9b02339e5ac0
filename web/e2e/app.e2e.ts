import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  addCustomerField,
  createConfirmedUser,
  createCustomer,
  createEnterprise,
  createRole,
  createUser,
  demoPassword,
  demoSession,
  mobile,
  residentId,
  userSession,
  wrongCheckDigit,
} from './fixtures';
import { ConsoleWatch, launchBrowser, login, newPage, screenshot, startServer, type Server } from './harness';

// Every test sets up the customers and users it needs (./fixtures) with data of its own, and
// changes no demo account another test signs in with: any one test runs alone, or in any order.

let server: Server;
let browser: Browser;
let context: BrowserContext | null = null;
let watch: ConsoleWatch;

function password(user: string): string {
  return demoPassword(server, user);
}

/** A customer of am.zhang's, made for one test; `n` is that test's own number (see fixtures). */
async function customerOfZhang(name: string, n: number) {
  return createCustomer(await demoSession(server, 'am.zhang'), name, n);
}

async function open(): Promise<Page> {
  watch = new ConsoleWatch();
  const r = await newPage(browser, server.baseUrl, watch);
  context = r.context;
  return r.page;
}

/**
 * A control's accessible name from its label: a required field's label also carries the "*"
 * marker, and a horizontal or inline form's label its colon.
 */
function labelled(label: string): RegExp {
  return new RegExp(`^\\*?\\s*${label}\\s*:?$`);
}

/** A text input by its label. */
function textbox(page: Page, label: string) {
  return page.getByRole('textbox', { name: labelled(label) });
}

function combobox(scope: Page | Locator, label: string) {
  return scope.getByRole('combobox', { name: labelled(label) });
}

/**
 * The options of one select's dropdown. Scoped by the list the combobox controls, because the
 * dropdown of the select chosen just before is still fading out and would match too.
 */
async function optionsOf(page: Page, box: Locator, text: string): Promise<Locator> {
  const list = await box.getAttribute('aria-controls');
  return page
    .locator('.ant-select-dropdown:visible')
    .filter({ has: page.locator(`[id="${list}"]`) })
    .locator('.ant-select-item-option', { hasText: text })
    .first();
}

/** Picks an option of a select; the click goes to the select itself, which a chosen value would cover. */
async function pickOption(page: Page, label: string, option: string): Promise<void> {
  const box = combobox(page, label);
  await page.locator('.ant-select').filter({ has: box }).click();
  await (await optionsOf(page, box, option)).click();
}

/**
 * Picks an option of a searchable select by typing it first, as staff do with a long list (a
 * person in a user picker, an action among dozens).
 */
async function pickSearching(page: Page, label: string, text: string): Promise<void> {
  const box = combobox(page, label);
  await box.click();
  await box.pressSequentially(text);
  await (await optionsOf(page, box, text)).click();
}

/** The texts of one column of a table, by its header. */
async function columnTexts(table: Locator, header: string): Promise<string[]> {
  const headers = await table.locator('thead th').allTextContents();
  const index = headers.findIndex((h) => h.trim() === header);
  if (index < 0) throw new Error(`no column ${header} in ${headers.join(' | ')}`);
  return table.locator(`tbody tr.ant-table-row > td:nth-child(${index + 1})`).allTextContents();
}

async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await page.waitForURL(/\/login/);
}

/** The form item (label, control and messages) of a labelled text box. */
function formItem(page: Page, label: string) {
  return page.locator('.ant-form-item').filter({ has: textbox(page, label) });
}

/** The to-do and notification counts the top bar shows. */
interface TopBarCounts {
  open: number;
  overdue: number;
  unread_notifications: number;
}

/** The counts the top bar fetches while `action` runs (a sign-in, say): what it starts from. */
async function countsFetchedBy(page: Page, action: () => Promise<void>): Promise<TopBarCounts> {
  const counted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/todos/counts' && r.ok());
  await action();
  return (await (await counted).json()) as TopBarCounts;
}

/** What the top bar's to-do badge says: "待办：3 项未完成，1 项逾期". */
function todoBadgeLabel(page: Page): Promise<string | null> {
  return page.getByTestId('todo-badge').getAttribute('aria-label');
}

/** What the top bar's bell says: "通知，2 条未读". */
function bellLabel(page: Page): Promise<string | null> {
  return page.getByTestId('notification-bell').getAttribute('aria-label');
}

/** The number a top-bar badge shows (antd gives the count its title; the digits scroll). */
function badgeNumber(page: Page, testId: string): Promise<string | null> {
  return page.getByTestId(testId).locator('.ant-scroll-number').first().getAttribute('title');
}

beforeAll(async () => {
  server = await startServer();
  ({ browser } = await launchBrowser());
});

afterEach(async () => {
  await context?.close();
  context = null;
  expect(watch.errors, 'console errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('OpenCredit in the browser', () => {
  it('rejects a wrong password and signs in with the right one; the session survives a reload', async () => {
    const page = await open();
    await page.goto('/customers');
    await page.waitForURL(/\/login/);
    await page.getByLabel('用户名').fill('am.zhang');
    await page.getByLabel('密码', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await screenshot(page, '01-login-failed');

    await page.getByLabel('密码', { exact: true }).fill(password('am.zhang'));
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('customer-table').locator('tr.ant-table-row').first().waitFor();
    // An account manager sees no administration.
    expect(await page.getByRole('menuitem', { name: '用户' }).count()).toBe(0);
    expect(await page.getByText('系统管理').count()).toBe(0);
    await page.reload();
    await page.getByTestId('customer-table').locator('tr.ant-table-row').first().waitFor();
    expect(page.url()).toMatch(/\/customers$/);
    await screenshot(page, '02-customer-list');
  });

  it('lets an account manager create an individual customer, first with a wrong ID number', async () => {
    const customer = { name: '新建测试客户', id: residentId(2), phone: mobile(2) };
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.getByRole('button', { name: '新建客户' }).click();
    await page.waitForURL(/\/customers\/new$/);
    await page.getByRole('heading', { name: '新建客户' }).waitFor();
    await textbox(page, '客户名称').fill(customer.name);
    await pickOption(page, '证件类型', '居民身份证');
    await textbox(page, '证件号码').fill(wrongCheckDigit(customer.id));
    // The check digit is verified as the user types.
    await page.getByText('身份证号码无效').first().waitFor();
    await page.getByRole('button', { name: '保存' }).click();
    await screenshot(page, '03-customer-form-error');
    expect(page.url()).toMatch(/\/customers\/new$/);

    await textbox(page, '证件号码').fill(customer.id);
    await expect.poll(() => page.getByText('身份证号码无效').count()).toBe(0);
    // Without a phone the server answers 422; its message lands under the phone field.
    await page.getByRole('button', { name: '保存' }).click();
    const phoneItem = page.locator('.ant-form-item').filter({ has: textbox(page, '手机号码') });
    await phoneItem.locator('.ant-form-item-explain-error').first().waitFor();
    expect(await phoneItem.locator('.ant-form-item-explain-error').first().textContent()).toContain('手机号码');
    await screenshot(page, '03b-customer-form-server-error');
    await textbox(page, '手机号码').fill(customer.phone);
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe(customer.name);
    await screenshot(page, '04-customer-360');
  });

  it('finds a customer by phone, records a follow-up and shows it on the timeline', async () => {
    const customer = await customerOfZhang('跟进测试客户', 3);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto('/customers');
    await textbox(page, '手机号码').fill(customer.phone);
    await page.getByRole('button', { name: '查询' }).click();
    const rows = page.getByTestId('customer-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByRole('link', { name: customer.name }).click();
    await page.waitForURL(/\/customers\/\d+$/);

    // Edit: only the changed field is sent, with If-Match.
    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL(/\/edit$/);
    await pickOption(page, '风险等级', '高');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.locator('.ant-tag', { hasText: /^高$/ }).first().waitFor();

    // A related party: add a spouse, see it listed, remove it.
    await page.getByRole('tab', { name: '关联方' }).click();
    await page.getByRole('button', { name: '添加关联方' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, '关系', '配偶');
    await dialog.getByLabel('姓名').fill('王配偶');
    await dialog.getByLabel('电话').fill(mobile(103));
    await dialog.getByRole('button', { name: '保存' }).click();
    const relation = page.locator('tr.ant-table-row', { hasText: '王配偶' });
    await relation.waitFor();
    await relation.getByRole('button', { name: '移除' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await relation.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: '跟进记录' }).click();
    const note = '电话沟通，客户有贷款意向';
    await page.getByLabel('跟进内容').fill(note);
    await page.getByLabel('跟进结果').fill('有意向');
    // A week from today: the server refuses a next follow-up date before its business date.
    const next = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    await page.getByLabel('下次跟进日期').click();
    await page.getByLabel('下次跟进日期').fill(next);
    await page.getByLabel('下次跟进日期').press('Enter');
    await page.getByRole('button', { name: '保存跟进' }).click();
    await page.getByText(note).first().waitFor();
    await page.getByRole('tab', { name: '时间线' }).click();
    await page.getByTestId('timeline').getByText(note).waitFor();
    await screenshot(page, '05-customer-timeline');
  });

  it('keeps a masked phone that was typed into and cleared while another field is saved', async () => {
    const customer = await customerOfZhang('脱敏测试客户', 4);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto(`${customer.url}/edit`);
    await expect.poll(() => textbox(page, '客户名称').inputValue()).toBe(customer.name);
    const masked = `${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`;
    const phone = textbox(page, '手机号码');
    expect(await phone.inputValue()).toBe('');
    expect(await phone.getAttribute('placeholder')).toContain(masked);
    await phone.pressSequentially('138');
    await phone.clear();
    const occupation = '教师';
    await textbox(page, '职业').fill(occupation);
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/api/v1/customers/'));
    await page.getByRole('button', { name: '保存' }).click();
    expect((await patch).postDataJSON()).toEqual({ occupation });
    await page.waitForURL(/\/customers\/\d+$/);
    await expect.poll(() => page.getByTestId('field-occupation').textContent()).toBe(occupation);
    expect(await page.getByTestId('field-phone').textContent()).toBe(masked);
    await screenshot(page, '05b-customer-edit-keeps-phone');

    // Saving an untouched form sends nothing and says so.
    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL(/\/edit$/);
    await expect.poll(() => textbox(page, '职业').inputValue()).toBe(occupation);
    let patched = false;
    page.on('request', (r) => (patched ||= r.method() === 'PATCH'));
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('没有修改').waitFor();
    await page.waitForURL(/\/customers\/\d+$/);
    expect(patched).toBe(false);
  });

  it("does not show an account manager another manager's customer", async () => {
    const customer = await customerOfZhang('他人客户测试', 5);
    const page = await open();
    await login(page, 'am.liu', password('am.liu'));
    await page.goto('/customers');
    await textbox(page, '手机号码').fill(customer.phone);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('customer-table').locator('.ant-empty').waitFor();
    expect(await page.getByText(customer.name).count()).toBe(0);
    await page.goto(customer.url);
    await page.getByText('客户不存在或您无权查看').waitFor();
  });

  it('lets an administrator add a custom field that the customer form then shows', async () => {
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.getByRole('menuitem', { name: '自定义字段' }).click();
    await page.waitForURL(/\/admin\/fields$/);
    await page.getByRole('button', { name: '新增字段' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('字段标识').fill('wechat_id');
    await dialog.getByLabel('中文名称').fill('微信号');
    await dialog.getByLabel('英文名称').fill('WeChat ID');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '微信号' }).waitFor();
    await screenshot(page, '06-admin-fields');
    await page.goto('/customers/new');
    await page.getByLabel('微信号').waitFor();
    await screenshot(page, '07-customer-form-custom-field');

    // The system administrator grants no roles and reads no trail: those pages are the security
    // administrator's and the auditor's (see below).
    for (const [path, name] of [
      ['/admin/users', '08-admin-users'],
      ['/admin/departments', '09-admin-departments'],
    ] as const) {
      await page.goto(path);
      await page.locator('.ant-card').first().waitFor();
      await screenshot(page, name);
    }
    await page.goto('/no/such/page');
    await page.getByText('404').first().waitFor();
    await screenshot(page, '12-not-found');
  });

  it('lets a risk officer unmask a phone number', async () => {
    const customer = await customerOfZhang('明文测试客户', 7);
    const page = await open();
    await login(page, 'risk.li', password('risk.li'));
    await page.goto(customer.url);
    const phone = page.getByTestId('field-phone');
    await phone.waitFor();
    expect(await phone.textContent()).toContain('****');
    expect(await page.getByTestId('header-phone').textContent()).toContain('****');
    await page.getByRole('button', { name: '查看手机号码明文' }).click();
    await expect.poll(() => phone.textContent()).toBe(customer.phone);
    // The header card shows the same number: it is unmasked there too.
    await expect.poll(() => page.getByTestId('header-phone').textContent()).toBe(customer.phone);
  });

  it('forces a user whose password an administrator reset to change it', async () => {
    const user = await createUser(server, 'e2e.reset', '重置测试', ['account_manager']);
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto('/admin/users');
    const row = page.locator('tr.ant-table-row', { hasText: user.username });
    await row.getByRole('button', { name: '重置密码' }).click();
    const temporary = 'Temporary-Pw-xQ7';
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新密码').fill(temporary);
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText('密码已重置').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);

    await login(page, user.username, temporary);
    await page.waitForURL(/\/account\/password$/);
    await page.getByText('请先修改密码').waitFor();
    const fresh = 'Changed-Pw-pW9';
    await page.getByLabel('当前密码').fill(temporary);
    await page.getByLabel('新密码', { exact: true }).fill(fresh);
    await page.getByLabel('确认新密码').fill(fresh);
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/workbench$/);
  });

  it('makes a role that brings unmasking wait for a second administrator', async () => {
    const user = await createUser(server, 'e2e.grant', '授权测试', ['account_manager']);
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto('/admin/users');
    const row = page.locator('tr.ant-table-row', { hasText: user.username });
    await row.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, '角色', '风控专员');
    await dialog.locator('.ant-modal-title').click();
    await dialog.getByRole('button', { name: '保存' }).click();
    const notice = page.locator('.ant-notification-notice');
    await notice.waitFor();
    expect(await notice.locator('.ant-notification-notice-message').textContent()).toBe('已提交');
    expect(await notice.locator('.ant-notification-notice-description').textContent()).toContain('以下授权需另一名安全管理员确认后生效：风控专员');
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.locator('.ant-tag').allTextContents()).toEqual(['客户经理', '正常']);
    await screenshot(page, '14-users-grant-waits');

    // The system administrator's own roles are not theirs to change.
    await page.locator('tr.ant-table-row', { hasText: '系统管理员' }).getByRole('button', { name: '编辑' }).click();
    expect(await dialog.getByRole('combobox', { name: /角色$/ }).isDisabled()).toBe(true);
    await dialog.getByText('不能修改自己的角色或部门').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
  });

  it('lets a second security administrator confirm a grant, and not their own request', async () => {
    // The system administrator asked for the role; it waits.
    const user = await createUser(server, 'e2e.confirm', '确认测试', ['account_manager', 'risk_officer']);
    expect(user.pending).toHaveLength(1);
    const page = await open();
    await login(page, 'sec.zhou', password('sec.zhou'));
    // A role given a permission that needs a second administrator waits as well.
    await page.getByRole('menuitem', { name: '角色' }).click();
    await page.getByRole('button', { name: '新建角色' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('角色标识').fill('unmasker');
    await drawer.getByLabel('中文名称').fill('查看明文');
    await drawer.getByLabel('英文名称').fill('Unmasker');
    await drawer.getByRole('checkbox', { name: /pii\.unmask/ }).check();
    await drawer.getByRole('button', { name: '保存' }).click();
    const notice = page.locator('.ant-notification-notice');
    await notice.waitFor();
    expect(await notice.locator('.ant-notification-notice-message').textContent()).toBe('已保存');
    expect(await notice.locator('.ant-notification-notice-description').textContent()).toContain('以下权限需另一名安全管理员确认后生效：查看未脱敏的个人信息');
    await page.getByRole('cell', { name: '查看明文' }).waitFor();
    await screenshot(page, '10-admin-roles');

    await page.getByRole('menuitem', { name: '待确认变更' }).click();
    await page.waitForURL(/\/admin\/pending-changes$/);
    const table = page.getByTestId('pending-changes');
    const grant = table.locator('tr.ant-table-row', { hasText: '授予确认测试（e2e.confirm）角色「风控专员（risk_officer）」' });
    await grant.waitFor();
    expect(await grant.textContent()).toContain('系统管理员');
    const own = table.locator('tr.ant-table-row', { hasText: '为角色「查看明文（unmasker）」增加权限「查看未脱敏的个人信息（pii.unmask）」' });
    expect(await own.getByRole('button', { name: '确认' }).isDisabled()).toBe(true);
    await own.getByRole('button', { name: '确认' }).hover();
    await page.locator('.ant-tooltip', { hasText: '不能确认自己提出的变更，须由另一名安全管理员确认' }).waitFor();
    expect(await own.getByRole('button', { name: '撤回' }).count()).toBe(1);
    await screenshot(page, '15-pending-changes');

    await grant.getByRole('button', { name: '确认' }).click();
    const confirm = page.locator('.ant-popconfirm');
    await confirm.getByText('授予确认测试（e2e.confirm）角色「风控专员（risk_officer）」，确认后立即生效。').waitFor();
    await screenshot(page, '16-pending-confirm');
    await confirm.getByRole('button', { name: '确认' }).click();
    await page.getByText('已确认，变更已生效').waitFor();
    await grant.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: '已通过' }).click();
    const approved = table.locator('tr.ant-table-row', { hasText: user.username });
    await approved.waitFor();
    expect(await approved.textContent()).toContain('周安全');
    expect(await approved.locator('.ant-tag').textContent()).toBe('已通过');
    await screenshot(page, '17-pending-approved');

    // A security administrator sees the users read-only; the user now holds the role.
    await page.getByRole('menuitem', { name: '用户' }).click();
    const row = page.locator('tr.ant-table-row', { hasText: user.username });
    await expect.poll(() => row.locator('.ant-tag').allTextContents()).toEqual(['客户经理', '风控专员', '正常']);
    expect(await page.getByRole('button', { name: '新建用户' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '编辑' }).count()).toBe(0);
    await screenshot(page, '18-users-read-only');
  });

  it('shows the system administrator no confirm button, only their own requests to withdraw', async () => {
    const privileged = await createConfirmedUser(server, 'e2e.withdraw', '撤回测试', ['account_manager', 'risk_officer']);
    // Another administrator's request, which the system administrator may only reject.
    await createRole(server, 'sec.zhou', 'reject_check', { 'zh-CN': '拒绝测试', 'en-US': 'Reject check' }, 'pii.unmask');
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto('/admin/users');
    // Whoever sets a privileged user's password could sign in as them: it waits too.
    await page.locator('tr.ant-table-row', { hasText: privileged.username }).getByRole('button', { name: '重置密码' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新密码').fill('Temporary-Pw-kR4');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.locator('.ant-notification-notice', { hasText: '需另一名安全管理员确认后生效' }).waitFor();
    expect(await page.getByText('密码已重置').count()).toBe(0);

    await page.getByRole('menuitem', { name: '待确认变更' }).click();
    const table = page.getByTestId('pending-changes');
    const reset = table.locator('tr.ant-table-row', { hasText: '重置撤回测试（e2e.withdraw）的密码' });
    await reset.waitFor();
    const others = table.locator('tr.ant-table-row', { hasText: 'reject_check' });
    await others.waitFor();
    expect(await table.getByRole('button', { name: '确认' }).count()).toBe(0);
    expect(await others.getByRole('button', { name: '拒绝' }).count()).toBe(1);
    await screenshot(page, '19-pending-changes-admin');

    await reset.getByRole('button', { name: '撤回' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤回' }).click();
    await page.getByText('已撤回该申请').waitFor();
    await reset.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: '已撤回' }).click();
    await table.locator('tr.ant-table-row', { hasText: '重置撤回测试（e2e.withdraw）的密码' }).waitFor();
  });

  it('shows the auditor the trail of a confirmation', async () => {
    await createConfirmedUser(server, 'e2e.audit', '审计测试', ['account_manager', 'risk_officer']);
    const page = await open();
    await login(page, 'auditor.sun', password('auditor.sun'));
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    // Actions by their names, not their keys.
    await page.getByRole('cell', { name: '复核通过' }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'change.approved' }).count()).toBe(0);
    await screenshot(page, '11-admin-audit');
  });

  it('switches to English and remembers it for the user', async () => {
    // A user of its own: the language stays with the user, and other tests read Chinese.
    const user = await createUser(server, 'e2e.english', '英文测试', ['account_manager']);
    await createCustomer(await userSession(server, user), '英文界面测试客户', 13);
    const page = await open();
    await login(page, user.username, user.password);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('menuitem', { name: 'Customer list' }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole('button', { name: 'New customer' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.reload();
    await page.getByRole('menuitem', { name: 'Customer list' }).waitFor();
    await screenshot(page, '13-customer-list-english');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
  });

  it('lands every role on the workbench with what applies to them', async () => {
    const customer = await customerOfZhang('工作台测试客户', 20);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.waitForURL(/\/workbench$/);
    expect(await page.getByRole('menuitem').first().textContent()).toBe('工作台');
    await expect.poll(() => page.getByTestId('workbench-my_customers').textContent()).toMatch(/我的客户\s*\d+/);
    await expect.poll(() => page.getByTestId('business-date').textContent()).toMatch(/^营业日 \d{4}-\d{2}-\d{2}$/);
    await page.getByTestId('quick-actions').getByRole('button', { name: '新建客户' }).waitFor();
    await page.getByTestId('section-todo').getByRole('link', { name: '全部待办' }).waitFor();
    // Opening a customer puts it among the recently viewed.
    await page.goto(customer.url);
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe(customer.name);
    await page.getByRole('menuitem', { name: '工作台' }).click();
    await page.getByTestId('recent-customers').getByRole('link', { name: customer.name }).waitFor();
    await screenshot(page, '20-workbench');

    // A security administrator reads no customers: no customer figures, only their own duties.
    await logout(page);
    await login(page, 'sec.zhou', password('sec.zhou'));
    await page.waitForURL(/\/workbench$/);
    await page.getByTestId('section-todo').waitFor();
    expect(await page.getByTestId('workbench-my_customers').count()).toBe(0);
    expect(await page.getByTestId('recent-customers').count()).toBe(0);
    expect(await page.getByTestId('section-approvals').count()).toBe(0);
    await page.getByTestId('quick-actions').getByRole('button', { name: '角色' }).waitFor();
    expect(await page.getByTestId('quick-actions').getByRole('button', { name: '新建客户' }).count()).toBe(0);
    await screenshot(page, '21-workbench-security');
  });

  it('lets a department manager hand a customer to a team member chosen by name, naming both first', async () => {
    const customer = await customerOfZhang('转移测试客户', 21);
    const page = await open();
    await login(page, 'manager.chen', password('manager.chen'));
    await page.goto(customer.url);
    await page.getByRole('button', { name: '转移客户经理' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '新的客户经理' });
    const picker = combobox(page, '新的客户经理');
    await picker.click();
    await picker.pressSequentially('陈');
    // Each choice says who the person is: name, username, department path and roles.
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '陈经理' });
    await expect.poll(() => option.textContent()).toMatch(/陈经理.*manager\.chen.*城东支行.*部门经理/);
    await screenshot(page, '22a-user-picker');
    await option.click();
    await dialog.getByRole('button', { name: '确定' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title', { hasText: `将客户 ${customer.name} 从 张客户经理 调整给 陈经理？` }).waitFor();
    await screenshot(page, '22-reassign-confirm');
    await confirm.getByRole('button', { name: '确定' }).click();
    await page.getByText(`客户 ${customer.name} 已调整给 陈经理`).waitFor();
    await expect.poll(() => page.getByTestId('header-owner').textContent()).toBe('陈经理 (我)');

    // The timeline says what happened in names.
    await page.getByRole('tab', { name: '时间线' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('.ant-tag', { hasText: '调整客户经理' }).first().waitFor();
    await timeline.getByText('客户经理：张客户经理 → 陈经理').waitFor();
    expect(await timeline.textContent()).not.toContain('owner_id');
    await screenshot(page, '23-timeline-names');
  });

  it('filters the list by an account manager picked by name, shows the total and remembers the filters', async () => {
    await customerOfZhang('筛选测试客户', 31);
    const page = await open();
    await login(page, 'manager.chen', password('manager.chen'));
    await page.goto('/customers');
    const table = page.getByTestId('customer-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    await pickSearching(page, '客户经理', '张客户经理');
    await page.getByRole('button', { name: '展开更多条件' }).click();
    await page.getByRole('button', { name: /收起$/ }).waitFor();
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => [...new Set(await columnTexts(table, '客户经理'))]).toEqual(['张客户经理']);
    await expect.poll(() => page.getByTestId('customer-total').textContent()).toMatch(/^共 [1-9]\d* 条$/);
    await screenshot(page, '24-list-owner-filter');

    // Back on the page, the filter and the expanded bar are as the user left them.
    await page.reload();
    const owner = page.locator('.ant-form-item').filter({ has: combobox(page, '客户经理') });
    await expect.poll(() => owner.locator('.ant-select-selection-item').textContent()).toBe('张客户经理');
    await page.getByRole('button', { name: /收起$/ }).waitFor();
    await table.locator('tr.ant-table-row').first().waitFor();
    expect([...new Set(await columnTexts(table, '客户经理'))]).toEqual(['张客户经理']);
  });

  it('points a partly typed phone to the tail search, which finds the customer by its last four digits', async () => {
    const customer = await customerOfZhang('尾号测试客户', 22);
    const tail = customer.phone.slice(-4);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto('/customers');
    await textbox(page, '手机号码').fill(customer.phone.slice(3));
    const phone = formItem(page, '手机号码');
    // A hint, not a red error.
    await phone.locator('.ant-form-item-explain-warning', { hasText: '只记得后四位' }).waitFor();
    expect(await phone.locator('.ant-form-item-explain-error').count()).toBe(0);
    const search = page.waitForRequest((r) => r.url().includes('/api/v1/customers?') && r.url().includes(`phone_tail=${tail}`));
    await page.getByRole('button', { name: `改用尾号 ${tail} 查询` }).click();
    expect((await search).url()).not.toMatch(/[?&]phone=/);
    expect(await textbox(page, '手机尾号').inputValue()).toBe(tail);
    await page.getByTestId('customer-table').getByRole('link', { name: customer.name }).waitFor();
    await page.getByTestId('customer-total').waitFor();
    await screenshot(page, '25-phone-tail');
  });

  it('explains a duplicate ID number under the field, with a link only for a customer one may open', async () => {
    const existing = await customerOfZhang('重复证件客户', 23);
    const page = await open();
    const register = async () => {
      await page.goto('/customers/new');
      await textbox(page, '客户名称').fill('重复登记测试');
      await pickOption(page, '证件类型', '居民身份证');
      await textbox(page, '证件号码').fill(existing.idNumber);
      await textbox(page, '手机号码').fill(mobile(123));
      await page.getByRole('button', { name: '保存' }).click();
      const item = formItem(page, '证件号码');
      await item.locator('.ant-form-item-explain-error', { hasText: '已登记为客户' }).waitFor();
      expect(await page.locator('.ant-notification-notice').count()).toBe(0);
      return item;
    };
    await login(page, 'am.zhang', password('am.zhang'));
    const item = await register();
    await screenshot(page, '26-duplicate-under-field');
    await item.getByRole('link', { name: `查看已登记的客户 ${existing.name}` }).click();
    await page.waitForURL(new RegExp(`${existing.url}$`));

    // Another manager's customer is named, not offered to open.
    await logout(page);
    await login(page, 'am.liu', password('am.liu'));
    const outside = await register();
    expect(await outside.getByRole('link').count()).toBe(0);
  });

  it("requires an enterprise's credit code unless it is marked pending with a reason, and takes a landline", async () => {
    const name = '待补代码测试企业';
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto('/customers/new');
    await page.locator('.ant-radio-button-wrapper', { hasText: '企业' }).click();
    await textbox(page, '客户名称').fill(name);
    await page.getByRole('button', { name: '保存' }).click();
    const code = formItem(page, '统一社会信用代码');
    await code.locator('.ant-form-item-explain-error', { hasText: '请填写统一社会信用代码' }).waitFor();
    expect(page.url()).toMatch(/\/customers\/new$/);

    await page.getByRole('checkbox', { name: '统一社会信用代码待补' }).check();
    await expect.poll(() => code.locator('.ant-form-item-explain-error').count()).toBe(0);
    await page.getByPlaceholder('说明暂缺统一社会信用代码的原因').fill('营业执照正在办理');
    await textbox(page, '联系人').fill('王联系');
    await textbox(page, '联系人电话').fill('0571-88886666');
    await textbox(page, '联系人电话').blur();
    expect(await formItem(page, '联系人电话').locator('.ant-form-item-explain-error').count()).toBe(0);
    await screenshot(page, '27-enterprise-code-pending');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.getByText('客户已创建').waitFor();

    // The list shows the enterprise's contact phone, masked to its last digits.
    await page.goto('/customers');
    await textbox(page, '客户名称').fill(name);
    await page.getByRole('button', { name: '查询' }).click();
    const table = page.getByTestId('customer-table');
    await table.getByRole('link', { name }).waitFor();
    expect((await columnTexts(table, '手机号码'))[0]).toContain('6666');
  });

  it('lets a risk officer set only the risk level and status', async () => {
    const customer = await customerOfZhang('分类测试客户', 24);
    const page = await open();
    await login(page, 'risk.li', password('risk.li'));
    await page.goto(customer.url);
    await page.getByTestId('customer-name').waitFor();
    expect(await page.getByRole('button', { name: '编辑' }).count()).toBe(0);
    await page.getByRole('button', { name: '设置风险等级和状态' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, '风险等级', '高');
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().includes('/api/v1/customers/'));
    await screenshot(page, '28-classify');
    await dialog.getByRole('button', { name: '保存' }).click();
    expect((await patch).postDataJSON()).toEqual({ risk_level: 'high' });
    await page.getByText('已保存').waitFor();
    await page.locator('.ant-card').first().locator('.ant-tag', { hasText: /^高$/ }).waitFor();
  });

  it('deletes a customer only with a reason, which the request carries', async () => {
    const customer = await customerOfZhang('删除测试客户', 25);
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto(customer.url);
    await page.getByRole('button', { name: '删除' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '删除' }).click();
    await dialog.getByText('请填写删除原因').waitFor();
    await dialog.getByLabel('删除原因').fill('重');
    await dialog.getByText('应为 2–200 个字符').waitFor();
    await dialog.getByLabel('删除原因').fill('重复录入');
    await screenshot(page, '29-delete-reason');
    const removal = page.waitForRequest((r) => r.method() === 'DELETE' && r.url().endsWith(`/api/v1${customer.url}`));
    await dialog.getByRole('button', { name: '删除' }).click();
    expect((await removal).postDataJSON()).toEqual({ reason: '重复录入' });
    await page.getByText(`客户 ${customer.name} 已删除`).waitFor();
    await page.waitForURL(/\/customers$/);
    await page.goto(customer.url);
    await page.getByText('客户不存在或您无权查看').waitFor();
  });

  it('names actions and objects in the audit log and filters by action, object type and actor', async () => {
    const customer = await customerOfZhang('审计名称客户', 26);
    const page = await open();
    await login(page, 'auditor.sun', password('auditor.sun'));
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await pickSearching(page, '操作', '新建客户');
    await pickOption(page, '对象类型', '客户');
    await pickSearching(page, '操作人', '张客户经理');
    const query = page.waitForRequest((r) => r.url().includes('/api/v1/audit-events?'));
    await page.getByRole('button', { name: '查询' }).click();
    const url = new URL((await query).url());
    expect(url.searchParams.get('action')).toBe('customer.create');
    expect(url.searchParams.get('entity_type')).toBe('customer');
    expect(url.searchParams.get('user_id')).toMatch(/^\d+$/);
    const table = page.getByTestId('audit-table');
    await table.getByRole('cell', { name: `客户 ${customer.name}` }).waitFor();
    expect([...new Set(await columnTexts(table, '操作'))]).toEqual(['新建客户']);
    expect([...new Set(await columnTexts(table, '操作人'))]).toEqual(['am.zhang']);
    await screenshot(page, '30-audit-names');
  });

  it('lets an administrator edit and archive a custom field, which then leaves the form', async () => {
    await addCustomerField(server, 'e2e_archive', { 'zh-CN': '归档测试字段', 'en-US': 'Archive test' });
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto('/admin/fields');
    const row = page.getByTestId('fields-table').locator('tr.ant-table-row', { hasText: 'e2e_archive' });
    await row.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('中文名称').fill('归档测试字段改');
    await dialog.getByLabel('最大长度').fill('30');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    await row.getByRole('cell', { name: '归档测试字段改' }).waitFor();
    await row.locator('.ant-tag', { hasText: '≤ 30 字' }).waitFor();
    await page.goto('/customers/new');
    await page.getByLabel('归档测试字段改').waitFor();

    await page.goto('/admin/fields');
    await row.getByRole('button', { name: '归档' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await page.getByText('字段已归档').waitFor();
    await row.locator('.ant-tag', { hasText: '已归档' }).waitFor();
    await screenshot(page, '31-fields-archived');
    await page.goto('/customers/new');
    await textbox(page, '客户名称').waitFor();
    expect(await page.getByLabel('归档测试字段改').count()).toBe(0);
  });

  it("asks a share of shareholders only, and checks and masks a related person's ID number", async () => {
    const customer = await customerOfZhang('关联方测试客户', 27);
    const person = residentId(127);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto(customer.url);
    await page.getByRole('tab', { name: '关联方' }).click();
    await page.getByRole('button', { name: '添加关联方' }).click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, '关系', '配偶');
    expect(await dialog.getByLabel('持股比例').count()).toBe(0);
    await pickOption(page, '关系', '股东');
    await dialog.getByLabel('持股比例').fill('30');
    await dialog.getByLabel('姓名').fill('李股东');
    await dialog.getByLabel('证件号码').fill(wrongCheckDigit(person));
    await dialog.getByText('身份证号码无效').first().waitFor();
    await dialog.getByLabel('证件号码').fill(person);
    await expect.poll(() => dialog.getByText('身份证号码无效').count()).toBe(0);
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已添加关联方：股东').waitFor();
    const row = page.getByTestId('relations-table').locator('tr.ant-table-row', { hasText: '李股东' });
    await row.waitFor();
    expect(await row.textContent()).toContain('30%');
    expect(await row.textContent()).not.toContain(person);
    await screenshot(page, '32-relations-share');
    await page.getByRole('tab', { name: '时间线' }).click();
    await page.getByTestId('timeline').getByText(/新增关联方：股东 李股东/).waitFor();
  });

  it('shows money with separators and 元, a large summary amount in 万元, and times on the business clock', async () => {
    const zhang = await demoSession(server, 'am.zhang');
    const person = await createCustomer(zhang, '金额格式客户', 28, { monthly_income: '1234567.89' });
    const company = await createEnterprise(zhang, '万元格式测试企业', 29, { registered_capital: '1234567.89' });
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto(person.url);
    await expect.poll(() => page.getByTestId('header-amount').textContent()).toBe('1,234,567.89 元');
    expect(await page.getByTestId('field-monthly_income').textContent()).toBe('1,234,567.89 元');
    await screenshot(page, '33-money-individual');
    await page.goto(company.url);
    await expect.poll(() => page.getByTestId('header-amount').textContent()).toBe('123.46 万元');
    expect(await page.getByTestId('field-registered_capital').textContent()).toBe('1,234,567.89 元');
    expect(await page.getByTestId('field-created_at').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await screenshot(page, '34-money-enterprise');
  });

  it('says a follow-up was saved and clears the form that an empty submit had turned red', async () => {
    const customer = await customerOfZhang('反馈测试客户', 30);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto(customer.url);
    await page.getByRole('tab', { name: '跟进记录' }).click();
    const form = page.locator('form#followup');
    await page.getByRole('button', { name: '保存跟进' }).click();
    await form.locator('.ant-form-item-explain-error', { hasText: '此项为必填项' }).waitFor();
    await page.getByLabel('跟进内容').fill('上门核实经营情况');
    await page.getByRole('button', { name: '保存跟进' }).click();
    await page.getByText('跟进记录已保存').waitFor();
    await page.getByText('上门核实经营情况').first().waitFor();
    await expect.poll(() => form.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect(await page.getByLabel('跟进内容').inputValue()).toBe('');
    await screenshot(page, '35-followup-saved');
  });

  it('stops a name at its limit in the form, and clips a long one in the list with the whole name on hover', async () => {
    const long = '长名称测试'.repeat(19);
    await customerOfZhang(long, 40);
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto('/customers/new');
    // Typing stops at the field's limit, the server's (a longer name is refused there, 422).
    await textbox(page, '客户名称').fill('名'.repeat(101));
    expect(await textbox(page, '客户名称').inputValue()).toBe('名'.repeat(100));

    await page.goto('/customers');
    const table = page.getByTestId('customer-table');
    await textbox(page, '客户名称').fill('长名称测试');
    await page.getByRole('button', { name: '查询' }).click();
    const link = table.getByRole('link', { name: long });
    await link.waitFor();
    // The cell keeps its column's width: the name is cut with an ellipsis, not wrapped or spilled.
    const cell = table.locator('td.ant-table-cell-ellipsis').filter({ has: page.getByRole('link', { name: long }) });
    const [cellBox, tableBox] = [await cell.boundingBox(), await table.boundingBox()];
    expect(cellBox && tableBox && cellBox.width < tableBox.width / 3).toBe(true);
    expect(await cell.evaluate((td) => td.scrollWidth > td.clientWidth)).toBe(true);
    await link.hover({ position: { x: 20, y: 5 } });
    await expect.poll(() => page.locator('.ant-tooltip:visible .ant-tooltip-inner').textContent()).toBe(long);
    await screenshot(page, '36-list-long-name');
  });

  it('names permissions, department places and people in the administration pages, and says a new user was saved', async () => {
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.goto('/admin/departments');
    await page.locator('.ant-tree-title', { hasText: /^城东支行营销一组$/ }).click();
    const place = page.getByText(/^路径:/);
    await expect.poll(() => place.textContent()).toBe('路径: 总行 / 城东支行 / 城东支行营销一组');

    await page.goto('/admin/users');
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('am.new');
    await dialog.getByLabel('姓名').fill('新客户经理');
    await dialog.getByLabel('初始密码').fill('Xin-Jingli-2026!');
    // The department is chosen from the tree by name, searching.
    const department = combobox(dialog, '部门');
    await department.click();
    await department.pressSequentially('城西');
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: '城西支行营销一组' }).click();
    // The supervisor is a person with their department and roles, not a number.
    await combobox(dialog, '直属上级').click();
    await combobox(dialog, '直属上级').pressSequentially('刘客户');
    const supervisor = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '刘客户经理' });
    await expect.poll(() => supervisor.textContent()).toMatch(/刘客户经理.*am\.liu.*城西支行.*营销一组.*客户经理/);
    await screenshot(page, '37-user-supervisor-picker');
    await supervisor.click();
    await pickOption(page, '角色', '客户经理');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    const row = page.locator('tr.ant-table-row', { hasText: 'am.new' });
    await expect.poll(() => row.textContent()).toContain('城西支行营销一组');

    // The role editor (the security administrator's) names each permission in Chinese, with its
    // code beside it for reference.
    await logout(page);
    await login(page, 'sec.zhou', password('sec.zhou'));
    await page.goto('/admin/roles');
    await page.locator('tr.ant-table-row', { hasText: 'account_manager' }).getByRole('button', { name: '编辑' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByRole('checkbox', { name: /^查看客户.*customer\.read$/ }).waitFor();
    await screenshot(page, '38-role-permission-names');
  });

  it('shows a to-do past its due time in red, and moves it to 已完成 with its note; the top bar counts it', async () => {
    const title = '逾期测试：补交收入证明';
    const note = '客户已补交，已核对原件';
    const page = await open();
    const before = await countsFetchedBy(page, () => login(page, 'am.zhang', password('am.zhang')));
    await expect.poll(() => todoBadgeLabel(page)).toBe(`待办：${before.open} 项未完成，${before.overdue} 项逾期`);
    await page.getByRole('menuitem', { name: '我的待办' }).click();
    await page.waitForURL(/\/todos$/);
    await page.getByRole('button', { name: '新建待办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('待办事项').fill(title);
    // Two days ago at 09:00: past due in any time zone.
    const due = `${new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10)} 09:00`;
    const dueBox = dialog.getByLabel('截止时间');
    await dueBox.click();
    await dueBox.fill(due);
    await dueBox.press('Enter');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已新建待办').waitFor();
    const table = page.getByTestId('todo-table');
    const row = table.locator('tr.ant-table-row', { hasText: title });
    await row.waitFor();
    // The due time reads as it was typed: the picker, like the list, is on the business clock.
    expect(await row.textContent()).toContain(due);
    const late = row.getByText(/^逾期 \d+ 天$/);
    await late.waitFor();
    expect(await late.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 77, 79)');
    expect(await row.evaluate((tr) => getComputedStyle(tr).backgroundColor)).toBe('rgb(255, 241, 240)');
    await expect.poll(() => todoBadgeLabel(page)).toBe(`待办：${before.open + 1} 项未完成，${before.overdue + 1} 项逾期`);
    await expect.poll(() => badgeNumber(page, 'todo-badge')).toBe(String(before.open + 1));
    await screenshot(page, '40-todos-overdue');

    await row.getByRole('button', { name: '完成' }).click();
    const complete = page.getByRole('dialog');
    await complete.getByText(`完成待办：${title}`).waitFor();
    await complete.getByLabel('完成说明').fill(note);
    await screenshot(page, '41-todo-complete');
    await complete.getByRole('button', { name: '完成' }).click();
    await page.getByText('待办已完成').waitFor();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => todoBadgeLabel(page)).toBe(`待办：${before.open} 项未完成，${before.overdue} 项逾期`);
    await page.getByRole('tab', { name: '已完成' }).click();
    const done = table.locator('tr.ant-table-row', { hasText: title });
    await done.waitFor();
    expect(await done.textContent()).toContain(`完成说明：${note}`);
    expect(await done.getByText(/^逾期 \d+/).count()).toBe(0);
    await screenshot(page, '42-todos-done');
  });

  it("rings am.zhang's bell and raises the to-do badge, without a reload, when a manager assigns a to-do", async () => {
    const title = '实时测试：上门核实经营情况';
    const zhang = await demoSession(server, 'am.zhang');
    const me = await zhang.call<{ user: { id: number } }>('GET', '/api/v1/auth/me');
    const page = await open();
    const live = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/live');
    const before = await countsFetchedBy(page, () => login(page, 'am.zhang', password('am.zhang')));
    expect((await live).status()).toBe(200);
    await expect.poll(() => bellLabel(page)).toBe(`通知，${before.unread_notifications} 条未读`);
    await expect.poll(() => todoBadgeLabel(page)).toBe(`待办：${before.open} 项未完成，${before.overdue} 项逾期`);
    // Gone if the page were loaded again.
    await page.evaluate(() => Object.assign(window, { e2eSameDocument: true }));

    const chen = await demoSession(server, 'manager.chen');
    await chen.call('POST', '/api/v1/todos', { title, assignee_id: me.user.id });
    await expect.poll(() => bellLabel(page)).toBe(`通知，${before.unread_notifications + 1} 条未读`);
    await expect.poll(() => todoBadgeLabel(page)).toBe(`待办：${before.open + 1} 项未完成，${before.overdue} 项逾期`);
    expect(await badgeNumber(page, 'notification-bell')).toBe(String(before.unread_notifications + 1));
    // The workbench's 待办 lists it too.
    await page.getByTestId('section-todo').getByText(title).waitFor();
    expect(await page.evaluate(() => 'e2eSameDocument' in window)).toBe(true);

    await page.getByTestId('notification-bell').click();
    const notice = page.getByTestId('notification-list').locator('.ant-list-item', { hasText: '陈经理 给您安排了一项待办' }).first();
    await notice.waitFor();
    expect(await notice.textContent()).toContain(title);
    await screenshot(page, '43-live-bell');
    // The notification opens the to-do where it is listed, and is read.
    await notice.click();
    await page.waitForURL(/\/todos$/);
    await page.getByTestId('todo-table').locator('tr.ant-table-row', { hasText: title }).waitFor();
    await expect.poll(() => bellLabel(page)).toBe(`通知，${before.unread_notifications} 条未读`);
    expect(await page.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
  });

  it('shows an operator the jobs with their schedules in words, runs housekeeping now, and an outbox with nothing dead', async () => {
    const page = await open();
    await login(page, 'admin', password('admin'));
    await page.getByRole('menuitem', { name: '后台任务' }).click();
    await page.waitForURL(/\/operations\/jobs$/);
    const jobs = page.getByTestId('job-table');
    const close = jobs.locator('tr.ant-table-row', { hasText: 'business_date.close' });
    const housekeeping = jobs.locator('tr.ant-table-row', { hasText: 'housekeeping' });
    await close.waitFor();
    expect(await close.textContent()).toContain('日终');
    const schedules = await columnTexts(jobs, '执行计划');
    const keys = await columnTexts(jobs, '任务');
    const scheduleOf = (key: string) => schedules[keys.findIndex((k) => k.includes(key))] ?? '';
    expect(scheduleOf('business_date.close')).toMatch(/^每天 \d{2}:\d{2}/);
    expect(scheduleOf('housekeeping')).toMatch(/^(每 \d+ 分钟|每小时)/);
    // No cron text where words belong.
    expect(schedules.join(' ')).not.toMatch(/\*/);
    await screenshot(page, '44-jobs');

    const started = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/jobs/housekeeping/run');
    await housekeeping.getByRole('button', { name: '立即运行' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '立即运行' }).click();
    const run = (await (await started).json()) as { id: number };
    await page.getByText(/^已安排运行：清理过期数据/).waitFor();
    const runs = page.getByTestId('run-table');
    const runRow = runs.locator(`tr.ant-table-row[data-row-key="${run.id}"]`);
    await runRow.waitFor();
    await expect.poll(() => runRow.locator('.ant-tag').first().textContent(), { timeout: 30_000 }).toBe('成功');
    expect(await runRow.textContent()).toContain('admin');
    await expect.poll(() => housekeeping.locator('.ant-tag', { hasText: '成功' }).count()).toBe(1);
    await screenshot(page, '45-jobs-run-succeeded');

    await page.getByRole('menuitem', { name: '投递失败' }).click();
    await page.waitForURL(/\/operations\/outbox$/);
    const outbox = page.getByTestId('outbox-table');
    await outbox.locator('.ant-empty', { hasText: '没有投递失败的事件' }).waitFor();
    expect(await page.locator('.ant-select', { has: combobox(page, '状态') }).locator('.ant-select-selection-item').textContent()).toBe('失败');
    await screenshot(page, '46-outbox-empty');
  });

  it("shows a to-do about a customer in 我的待办 with the customer's name, opening the customer, whose timeline lists it", async () => {
    const customer = await customerOfZhang('待办时间线客户', 42);
    const title = '时间线测试：回访确认用款计划';
    const zhang = await demoSession(server, 'am.zhang');
    const id = customer.url.split('/').pop() ?? '';
    const due = new Date(Date.now() + 3 * 86400_000).toISOString();
    const todo = await zhang.call<{ id: number }>('POST', '/api/v1/todos', { title, due_at: due, link: { entity_type: 'customer', entity_id: id } });
    const page = await open();
    await login(page, 'am.zhang', password('am.zhang'));
    await page.goto('/todos');
    const row = page.getByTestId('todo-table').locator('tr.ant-table-row', { hasText: title });
    await row.waitFor();
    expect(await row.textContent()).toContain(customer.name);
    await screenshot(page, '50-todo-about-customer');
    await row.getByRole('link', { name: title }).click();
    await page.waitForURL(new RegExp(`${customer.url}$`));
    await page.getByRole('tab', { name: '时间线' }).click();
    const entry = page.getByTestId(`timeline-todo-${todo.id}`);
    await entry.waitFor();
    const text = await entry.textContent();
    expect(text).toContain(title);
    expect(text).toContain('未完成');
    expect(text).toContain('处理人 张客户经理');
    expect(text).toMatch(/截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await screenshot(page, '51-customer-timeline-todo');
  });

  it('shows the business date and the 2026 holidays, and advances the date after a confirmation naming from and to', async () => {
    const page = await open();
    const dated = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/business-date' && r.ok());
    await login(page, 'admin', password('admin'));
    const today = (await (await dated).json()) as { date: string; next_working_day: string };
    await expect.poll(() => page.getByTestId('topbar-business-date').textContent()).toBe(`营业日 ${today.date}`);
    await page.getByRole('menuitem', { name: '营业日与日历' }).click();
    await page.waitForURL(/\/admin\/calendar$/);
    await expect.poll(() => page.getByTestId('current-business-date').textContent()).toBe(today.date);

    // October 2026: National Day off (休) and the Saturday worked in its place (班).
    const grid = page.locator('.ant-picker-calendar');
    await grid.locator('.ant-picker-calendar-year-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^2026/ }).click();
    await grid.locator('.ant-picker-calendar-month-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^10月$/ }).click();
    const cell = (date: string) => grid.locator(`td[title="${date}"]`);
    await expect.poll(() => cell('2026-10-01').textContent()).toContain('休');
    expect(await page.getByTestId('year-imported').textContent()).toMatch(/^2026 年的节假日与调休已于 .+ 导入$/);
    expect(await cell('2026-10-10').textContent()).toContain('班');
    await screenshot(page, '47-calendar-october');

    // The date never moves into a year whose holidays are not imported; from late December the
    // next working day lies in a year this release does not ship, which an administrator imports.
    const nextYear = Number(today.next_working_day.slice(0, 4));
    if (nextYear > 2026) {
      await (await demoSession(server, 'admin')).call('PUT', `/api/v1/calendars/cn/years/${nextYear}`, { days: [] });
    }
    await page.getByRole('button', { name: '推进营业日' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('advance-summary').textContent()).toContain(`营业日将从 ${today.date} 推进到 ${today.next_working_day}`);
    await screenshot(page, '48-advance-confirm');

    // A Sunday is refused, and said so under the picker.
    const sunday = new Date(`${today.date}T00:00:00Z`);
    do sunday.setUTCDate(sunday.getUTCDate() + 1);
    while (sunday.getUTCDay() !== 0);
    const sundayText = sunday.toISOString().slice(0, 10);
    const target = dialog.getByLabel('推进到');
    const pick = async (date: string) => {
      await target.click();
      await target.fill(date);
      await target.press('Enter');
      await expect.poll(() => dialog.getByTestId('advance-summary').textContent()).toContain(`推进到 ${date}`);
    };
    await pick(sundayText);
    await dialog.getByRole('button', { name: '确认推进' }).click();
    const targetItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('推进到') });
    await targetItem.locator('.ant-form-item-explain-error', { hasText: `${sundayText} 在工作日历中不是工作日` }).waitFor();
    expect(await page.locator('.ant-notification-notice').count()).toBe(0);
    await screenshot(page, '48b-advance-not-working-day');
    await pick(today.next_working_day);
    await expect.poll(() => targetItem.locator('.ant-form-item-explain-error').count()).toBe(0);
    await dialog.getByRole('button', { name: '确认推进' }).click();
    await page.getByText(`营业日已从 ${today.date} 推进到 ${today.next_working_day}`).waitFor();
    await expect.poll(() => page.getByTestId('topbar-business-date').textContent()).toBe(`营业日 ${today.next_working_day}`);
    await expect.poll(() => page.getByTestId('current-business-date').textContent()).toBe(today.next_working_day);
    await screenshot(page, '49-business-date-advanced');
  });
});
