import type { Db } from '../db/database.ts';
import { writeAudit } from '../modules/audit/index.ts';

/**
 * Result templates of demo procedures whose result is a simple certificate: approving one of
 * their dossiers without attaching a result generates it from the dossier's data, signed.
 */
export const DEMO_RESULT_TEMPLATES: { code: string; title: string; body: string; signerTitle: string; numberSuffix: string }[] = [
  {
    code: '2.001176',
    title: 'Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ',
    body: [
      'Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13 và Nghị định số 08/2014/NĐ-CP;',
      'Xét hồ sơ số {{dossier.code}} tiếp nhận ngày {{receivedAt}},',
      '',
      '{{agency.name}} chứng nhận:',
      '',
      'Tổ chức, cá nhân đăng ký: {{applicant.name}}',
      'Địa chỉ: {{applicant.address}}',
      'Nội dung đăng ký: {{form.request}}',
      '',
      '- Kết quả thực hiện nhiệm vụ khoa học và công nghệ nêu trên đã được đăng ký theo quy định.',
      '- Giấy chứng nhận này được cấp dưới dạng điện tử, có giá trị như bản giấy.',
    ].join('\n'),
    signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
    numberSuffix: 'GCN-SKHCN',
  },
  {
    code: '1.001612',
    title: 'Giấy chứng nhận đăng ký hộ kinh doanh',
    body: [
      '{{agency.name}} chứng nhận:',
      '',
      'Tên hộ kinh doanh: {{form.householdBusinessName}}',
      'Địa điểm kinh doanh: {{form.businessAddress}}',
      'Ngành, nghề kinh doanh: {{form.businessLines}}',
      'Vốn kinh doanh: {{form.capital}} đồng',
      'Chủ hộ kinh doanh: {{applicant.name}}',
      'Số định danh cá nhân: {{applicant.idNumber}}',
      '',
      '- Đăng ký lần đầu ngày {{issuedAt}}, theo hồ sơ số {{dossier.code}}.',
    ].join('\n'),
    signerTitle: 'TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH',
    numberSuffix: 'GCN-HKD',
  },
];

/** Adds the demo result templates to procedures that never had one; returns how many. */
export async function seedDemoResultTemplates(db: Db): Promise<number> {
  return db.transaction().execute(async (tx) => {
    let n = 0;
    for (const t of DEMO_RESULT_TEMPLATES) {
      const p = await tx.selectFrom('procedures').select('id').where('code', '=', t.code).executeTakeFirst();
      if (!p) continue;
      const had = await tx.selectFrom('procedureResultTemplateHistory').select('id').where('procedureId', '=', p.id).limit(1).executeTakeFirst();
      if (had) continue;
      const row = { title: t.title, body: t.body, signerTitle: t.signerTitle, numberSuffix: t.numberSuffix, version: 1 };
      await tx.insertInto('procedureResultTemplates').values({ procedureId: p.id, ...row, updatedBy: null }).execute();
      await tx.insertInto('procedureResultTemplateHistory').values({ procedureId: p.id, ...row, changedBy: null }).execute();
      n++;
    }
    if (n) await writeAudit(tx, { actorId: null, actorName: 'system', ip: null, requestId: null }, { action: 'seed.demo_result_templates', details: { templates: n } });
    return n;
  });
}
