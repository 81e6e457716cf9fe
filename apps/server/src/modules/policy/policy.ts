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
  /** Create, edit, publish, import and export procedures of the catalogue (scoped to their agencies). */
  'procedure.manage': ['province_admin', 'agency_admin'],
  /** See payments of their agencies: lists by period, unmatched transfers, the daily reconciliation report. */
  'payment.read': ['reception_officer', 'division_head', 'agency_leader', 'province_admin', 'auditor'],
  /** Import bank statements, resolve unmatched transfers, record refunds, run reconciliation. */
  'payment.manage': ['division_head', 'agency_leader', 'province_admin'],
  /** Take cash at the counter (and issue its receipt). */
  'payment.cash': ['reception_officer'],
  /** Exempt an applicant from a fee item, with the reason. */
  'fee.exempt': ['reception_officer', 'division_head', 'agency_leader'],
  /** Reword the SMS, email and in-app message templates (province-wide), with preview and history. */
  'notify.templates.manage': ['province_admin'],
  /** Read the history of messages sent to citizens and officials (support staff), within their agencies. */
  'notify.messages.read': ['support_agent', 'province_admin'],
  /** Upload, list and retire the certificates that sign an agency's documents (chứng thư số), and see expiry warnings. */
  'certificate.manage': ['agency_admin', 'province_admin'],
  /** Officials' reports of their agencies: drill-downs to dossiers, index details, the leaders' dashboard, exports. */
  'reports.read': ['division_head', 'agency_leader', 'agency_admin', 'province_admin', 'auditor'],
  /** Handle feedback and complaints (phản ánh, kiến nghị) of their agencies: record, accept, ask for information, reject, answer. */
  'feedback.handle': ['reception_officer', 'specialist', 'division_head', 'agency_leader', 'support_agent'],
  /** Publish the answer to feedback or a complaint (without the sender's personal data). */
  'feedback.publish': ['division_head', 'agency_leader'],
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
