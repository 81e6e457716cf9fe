import type { Agency, AgencyLevel, OfficialRole, RoleGrant } from '@motcua/contracts';

// Shapes the API contract describes that packages/contracts does not export (yet).

export type Page<T> = { items: T[]; total: number };

export type Official = {
  id: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  disabled: boolean;
  totpEnrolled: boolean;
  roles: RoleGrant[];
};

export type OfficialCreate = {
  fullName: string;
  email: string;
  phone?: string;
  roles: { role: OfficialRole; agencyId: string }[];
};

export type OfficialCreated = { official: Official; temporaryPassword: string };

export type OfficialUpdate = { disabled?: boolean; roles?: { role: OfficialRole; agencyId: string }[] };

export type AuditEvent = {
  id: string | number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  details: unknown;
};

export type AuditVerify = { ok: boolean; checked: number; brokenAt: number | null };

export type AgencyWrite = Omit<Agency, 'id' | 'parentCode' | 'successorCode'>;

export const AGENCY_LEVELS = ['province', 'department', 'district', 'commune', 'division'] as const satisfies readonly AgencyLevel[];

export const OFFICIAL_ROLES = [
  'reception_officer',
  'specialist',
  'division_head',
  'agency_leader',
  'agency_admin',
  'province_admin',
  'support_agent',
  'auditor',
] as const satisfies readonly OfficialRole[];
