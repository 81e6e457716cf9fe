import type { OfficialRole } from '@motcua/contracts';

/** Who is acting: a signed-in user with the roles they hold in agencies. */
export interface Actor {
  userId: string;
  kind: 'citizen' | 'official';
  fullName: string;
  roles: { role: OfficialRole; agencyId: string }[];
}

/**
 * Every action the policy layer decides, with the roles that may take it. A role held in an
 * agency covers that agency and every agency below it (a province admin covers the province).
 */
export const ACTIONS = {
  'agency.create': ['province_admin'],
  'agency.update': ['province_admin', 'agency_admin'],
  'official.list': ['province_admin', 'agency_admin'],
  'official.create': ['province_admin', 'agency_admin'],
  'official.update': ['province_admin', 'agency_admin'],
  'audit.read': ['auditor'],
  'calendar.manage': ['province_admin'],
} as const satisfies Record<string, readonly OfficialRole[]>;

export type Action = keyof typeof ACTIONS;

/**
 * May `actor` take `action` on an object held by the agency whose chain (itself first, then
 * its ancestors up to the province) is `agencyChain`? Without a chain, any agency will do
 * (used for listing, where results are then filtered by `agenciesInScope`).
 */
export function can(actor: Actor | null, action: Action, agencyChain?: readonly string[]): boolean {
  if (!actor || actor.kind !== 'official') return false;
  const allowed: readonly OfficialRole[] = ACTIONS[action];
  return actor.roles.some((r) => allowed.includes(r.role) && (!agencyChain || agencyChain.includes(r.agencyId)));
}

/** The agencies (roots of subtrees) in which `actor` may take `action`. */
export function scopeRoots(actor: Actor | null, action: Action): string[] {
  if (!actor || actor.kind !== 'official') return [];
  const allowed: readonly OfficialRole[] = ACTIONS[action];
  return actor.roles.filter((r) => allowed.includes(r.role)).map((r) => r.agencyId);
}
