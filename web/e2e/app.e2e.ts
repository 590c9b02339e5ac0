import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  createConfirmedUser,
  createCustomer,
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

/** A text input by its label; a required field's label also carries the "*" marker. */
function textbox(page: Page, label: string) {
  return page.getByRole('textbox', { name: new RegExp(`^\\*?\\s*${label}$`) });
}

async function pickOption(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: new RegExp(`^\\*?\\s*${label}$`) }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
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
    await page.getByRole('button', { name: '查看手机号码明文' }).click();
    await expect.poll(() => phone.textContent()).toBe(customer.phone);
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
    await page.waitForURL(/\/customers$/);
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
    await page.getByRole('cell', { name: 'change.approved' }).first().waitFor();
    await screenshot(page, '11-admin-audit');
  });

  it('switches to English and remembers it for the user', async () => {
    // A user of its own: the language stays with the user, and other tests read Chinese.
    const user = await createUser(server, 'e2e.english', '英文测试', ['account_manager']);
    await createCustomer(await userSession(server, user), '英文界面测试客户', 13);
    const page = await open();
    await login(page, user.username, user.password);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('menuitem', { name: 'Customer list' }).waitFor();
    await page.getByRole('button', { name: 'New customer' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.reload();
    await page.getByRole('menuitem', { name: 'Customer list' }).waitFor();
    await screenshot(page, '13-customer-list-english');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
  });
});
