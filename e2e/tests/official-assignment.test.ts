import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  actByApi, answered, chooseOption, createOfficialByApi, demoOfficial, expectAccessible, expectH1, expectPath, launchBrowser, newPage,
  signInOfficial, signInOfficialByApi, submitDossierByApi,
} from './helpers.ts';

/*
 * Assigning work (giao xử lý): a citizen's dossier of 2.001176 is received and handed on to the
 * specialists' step by the desk (API). The province administrator creates a second specialist of
 * the department (API), so the choice matters. The division head opens the dossier, nobody
 * holding it yet, picks that specialist in the "Giao xử lý" dialog (the officials offered come
 * from GET /dossiers/:id/assignees) and the page then names who holds it. The specialist narrows
 * the in-progress queue to the dossiers they hold, finds it marked as theirs and may forward it.
 * axe on every page and dialog. (Its own file: official.test.ts is near the per-file time limit.)
 */

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a division head assigns a dossier to a chosen specialist, who finds it in their queue as theirs', async () => {
  // A citizen's dossier of 2.001176, received by the desk and handed on to the specialists' step (API).
  const citizen = await newPage(browser);
  const dossier = await submitDossierByApi(citizen, '2.001176', ({ name, phone }) => ({
    applicantName: name,
    personalId: '079203012345',
    phone,
    address: '20 Trần Phú, phường Nha Trang, Khánh Hòa',
    request: 'Đăng ký kết quả nhiệm vụ “Bản đồ xâm nhập mặn”.',
  }), { namePrefix: 'Đinh Văn Giao Việc' });
  await citizen.context().close();
  const desk = await newPage(browser);
  const deskCsrf = await signInOfficialByApi(desk, demoOfficial('reception_officer'));
  const { code } = await actByApi(desk, deskCsrf, dossier.id, 'receive');
  assert.ok(code, 'the received dossier has a code');
  await actByApi(desk, deskCsrf, dossier.id, 'forward');
  await desk.context().close();

  // A second specialist of the department (so the choice matters), created by the province administrator.
  const agency = dossier.procedure.agencies.find((a) => a.kind === 'receiving');
  assert.ok(agency, 'the receiving agency of 2.001176');
  const admin = await newPage(browser);
  await signInOfficialByApi(admin, demoOfficial('province_admin'));
  const specialistName = `Ngô Thị Chuyên Viên ${randomInt(1000, 10_000)}`;
  const specialist = await newPage(browser);
  await createOfficialByApi(admin, specialist, { fullName: specialistName, roles: [{ role: 'specialist', agencyId: agency.id }] });
  await admin.context().close();

  // The division head opens the dossier at the specialists' step, nobody holding it yet, and assigns it.
  const head = await newPage(browser);
  await signInOfficial(head, demoOfficial('division_head'));
  await head.goto(`/staff/dossiers/${dossier.id}`);
  await expectH1(head, `Hồ sơ ${code}`);
  await head.getByTestId('current-step').filter({ hasText: 'Thẩm định, xử lý' }).waitFor();
  await head.getByTestId('assignee').filter({ hasText: 'Chưa có người nhận xử lý' }).waitFor();
  await expectAccessible(head, '/staff/dossiers/:id (to assign)');
  await head.getByTestId('dossier-actions').getByRole('button', { name: 'Giao xử lý', exact: true }).click();
  const dialog = head.getByRole('dialog', { name: 'Giao xử lý hồ sơ' });
  await dialog.waitFor();
  // The officials offered are the ones with a processing role there, those fitting the step first.
  await chooseOption(head, 'Giao cho cán bộ', `${specialistName} — Chuyên viên`, specialistName.split(' ').pop());
  await expectAccessible(head, '/staff/dossiers/:id (assign dialog)');
  await answered(head, 'POST', new RegExp(`^/api/v1/dossiers/${dossier.id}/actions$`), () => dialog.getByRole('button', { name: 'Giao', exact: true }).click());
  await dialog.waitFor({ state: 'detached' });
  await head.getByTestId('assignee').filter({ hasText: `Cán bộ xử lý: ${specialistName}` }).waitFor();
  await head.getByTestId('dossier-timeline').getByText('Giao xử lý').first().waitFor();
  await expectAccessible(head, '/staff/dossiers/:id (assigned)');
  await head.context().close();

  // The specialist finds it in the in-progress queue, narrowed to what they hold, marked as theirs.
  await specialist.goto('/staff/queues/in_progress');
  await expectH1(specialist, 'Hồ sơ: Đang xử lý');
  // (The box follows the address bar, which the page updates in a transition: click, then wait for both.)
  await specialist.getByLabel('Chỉ hồ sơ tôi đang xử lý').click();
  await specialist.waitForURL((url) => url.searchParams.get('mine') === 'true');
  await specialist.locator('input[data-testid="queue-mine"]:checked').waitFor();
  const table = specialist.getByTestId('queue-table');
  const row = table.getByRole('row').filter({ hasText: code });
  await row.getByText('Tôi đang xử lý').waitFor();
  // The unfiltered list may still be on screen for a moment after the box is ticked: wait for the narrowed one.
  const rows = table.getByRole('row').filter({ has: specialist.getByRole('link') });
  for (const until = Date.now() + 20_000; (await rows.count()) !== 1 && Date.now() < until;) await specialist.waitForTimeout(250);
  assert.equal(await rows.count(), 1, 'the one dossier assigned to the new specialist');
  await expectAccessible(specialist, '/staff/queues/in_progress (assigned to me)');
  await row.getByRole('link', { name: code }).click();
  await expectPath(specialist, `/staff/dossiers/${dossier.id}`);
  await specialist.getByTestId('assignee').filter({ hasText: 'Tôi đang xử lý' }).waitFor();
  await specialist.getByTestId('dossier-actions').getByRole('button', { name: 'Chuyển bước tiếp theo', exact: true }).waitFor();
  assert.equal(await specialist.getByTestId('dossier-actions').getByRole('button', { name: 'Nhận xử lý', exact: true }).count(), 0, 'nothing left to claim');
  await expectAccessible(specialist, '/staff/dossiers/:id (assigned to me)');
  await specialist.context().close();
});
