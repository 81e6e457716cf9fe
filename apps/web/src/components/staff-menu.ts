import type { Me, OfficialRole } from '@motcua/contracts';

export type StaffMenuItem = { key: string; to: string; labelKey: string; roles: OfficialRole[] | null };
export type StaffMenuGroup = { key: string; labelKey: string | null; items: StaffMenuItem[] };

/** The staff console's menu: each entry names the roles that see it (null: every official). */
export const STAFF_MENU: StaffMenuGroup[] = [
  {
    key: 'main',
    labelKey: null,
    items: [{ key: 'home', to: '/staff', labelKey: 'staffMenu.home', roles: null }],
  },
  {
    key: 'dossiers',
    labelKey: 'staffMenu.dossiers',
    items: [
      { key: 'reception', to: '/staff/queues/to_receive', labelKey: 'staffMenu.reception', roles: ['reception_officer'] },
      { key: 'intake', to: '/staff/intake', labelKey: 'staffMenu.intake', roles: ['reception_officer'] },
      {
        key: 'processing',
        to: '/staff/queues/in_progress',
        labelKey: 'staffMenu.processing',
        roles: ['specialist', 'division_head', 'agency_leader'],
      },
      { key: 'returning', to: '/staff/queues/ready_to_return', labelKey: 'staffMenu.returning', roles: ['reception_officer'] },
      {
        key: 'allDossiers',
        to: '/staff/queues/all',
        labelKey: 'staffMenu.allDossiers',
        roles: ['reception_officer', 'specialist', 'division_head', 'agency_leader'],
      },
    ],
  },
  {
    key: 'other',
    labelKey: null,
    items: [
      { key: 'feedback', to: '/staff/feedback', labelKey: 'feedback.menu', roles: ['reception_officer', 'specialist', 'division_head', 'agency_leader', 'support_agent'] },
      { key: 'support', to: '/staff/support', labelKey: 'staffMenu.support', roles: ['support_agent', 'province_admin'] },
      {
        key: 'payments',
        to: '/staff/payments',
        labelKey: 'staffMenu.payments',
        roles: ['reception_officer', 'division_head', 'agency_leader', 'province_admin', 'auditor'],
      },
      { key: 'audit', to: '/staff/audit', labelKey: 'staffMenu.audit', roles: ['auditor'] },
      {
        key: 'reports',
        to: '/staff/reports',
        labelKey: 'reports.menu',
        roles: ['division_head', 'agency_leader', 'agency_admin', 'province_admin', 'auditor'],
      },
    ],
  },
  {
    key: 'admin',
    labelKey: 'staffMenu.admin',
    items: [
      { key: 'adminProcedures', to: '/staff/admin/procedures', labelKey: 'staffMenu.adminProcedures', roles: ['agency_admin', 'province_admin'] },
      { key: 'adminCalendar', to: '/staff/admin/calendar', labelKey: 'staffMenu.adminCalendar', roles: ['province_admin'] },
      { key: 'adminAgencies', to: '/staff/admin/agencies', labelKey: 'staffMenu.adminAgencies', roles: ['agency_admin', 'province_admin'] },
      { key: 'adminOfficials', to: '/staff/admin/officials', labelKey: 'staffMenu.adminOfficials', roles: ['agency_admin', 'province_admin'] },
      { key: 'adminCertificates', to: '/staff/admin/certificates', labelKey: 'staffMenu.adminCertificates', roles: ['agency_admin', 'province_admin'] },
      { key: 'adminTemplates', to: '/staff/admin/templates', labelKey: 'staffMenu.adminTemplates', roles: ['province_admin'] },
    ],
  },
];

export function menuFor(me: Me): StaffMenuGroup[] {
  const held = new Set(me.roles.map((r) => r.role));
  return STAFF_MENU.map((group) => ({
    ...group,
    items: group.items.filter((item) => item.roles === null || item.roles.some((r) => held.has(r))),
  })).filter((group) => group.items.length > 0);
}

export function rolesOf(key: string): OfficialRole[] {
  for (const group of STAFF_MENU) for (const item of group.items) if (item.key === key) return item.roles ?? [];
  return [];
}
