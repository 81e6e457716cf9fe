import type { Me, OfficialRole } from '@motcua/contracts';

export type StaffMenuItem = { key: string; to: string; labelKey: string; roles: OfficialRole[] | null };
export type StaffMenuGroup = { key: string; labelKey: string | null; items: StaffMenuItem[] };

/** The staff console's menu: each entry names the roles that see it (null: every official). */
export const STAFF_MENU: StaffMenuGroup[] = [
  {
    key: 'main',
    labelKey: null,
    items: [
      { key: 'home', to: '/staff', labelKey: 'staffMenu.home', roles: null },
      { key: 'reception', to: '/staff/reception', labelKey: 'staffMenu.reception', roles: ['reception_officer'] },
      {
        key: 'processing',
        to: '/staff/processing',
        labelKey: 'staffMenu.processing',
        roles: ['specialist', 'division_head', 'agency_leader'],
      },
      { key: 'support', to: '/staff/support', labelKey: 'staffMenu.support', roles: ['support_agent'] },
      { key: 'audit', to: '/staff/audit', labelKey: 'staffMenu.audit', roles: ['auditor'] },
    ],
  },
  {
    key: 'admin',
    labelKey: 'staffMenu.admin',
    items: [
      { key: 'adminAgencies', to: '/staff/admin/agencies', labelKey: 'staffMenu.adminAgencies', roles: ['agency_admin', 'province_admin'] },
      { key: 'adminOfficials', to: '/staff/admin/officials', labelKey: 'staffMenu.adminOfficials', roles: ['agency_admin', 'province_admin'] },
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
