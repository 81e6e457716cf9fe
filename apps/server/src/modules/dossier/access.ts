import type { OfficialRole } from '@motcua/contracts';
import type { Db, Tx } from '../../db/database.ts';
import { forbidden } from '../../http/errors.ts';
import { agencyChain } from '../agencies/index.ts';
import type { Actor } from '../policy/index.ts';
import { dossierNotFound, type Loaded } from './dossier.service.ts';
import type { ActionType } from './state.ts';

/** The roles `actor` holds that cover `agencyId` (held there or higher up the tree). */
export async function rolesCovering(db: Db | Tx, actor: Actor, agencyId: string | null): Promise<Set<OfficialRole>> {
  if (!agencyId || actor.kind !== 'official') return new Set();
  const chain = await agencyChain(db, agencyId);
  return new Set(actor.roles.filter((r) => chain.includes(r.agencyId)).map((r) => r.role));
}

const isOwner = (actor: Actor, l: Loaded) => l.row.applicantUserId === actor.userId || (l.row.createdBy === actor.userId && actor.kind === 'citizen');

/**
 * Who may see a dossier: its applicant, and officials holding a role over the receiving agency,
 * the current one, or any agency it visited. Anyone else gets the same 404 as a missing dossier.
 */
export async function assertCanView(db: Db | Tx, actor: Actor, l: Loaded): Promise<'owner' | 'official'> {
  if (isOwner(actor, l)) return 'owner';
  if (actor.kind === 'official') {
    const agencies = new Set([l.row.receivingAgencyId, l.row.currentAgencyId, ...l.view.visits.map((v) => v.agencyId)].filter((x): x is string => !!x));
    for (const a of agencies) if ((await rolesCovering(db, actor, a)).size > 0) return 'official';
  }
  throw dossierNotFound();
}

const DESK: OfficialRole[] = ['reception_officer'];
const MANAGERS: OfficialRole[] = ['division_head', 'agency_leader'];

/**
 * Which official may take which action. The desk (reception officers of the receiving agency)
 * receives, asks for papers before receiving, records counter submissions and returns results;
 * at a processing step the official holding the dossier acts, and the heads of the agency at
 * that step may also act (and assign); only a leader approves.
 */
export async function authorizeOfficialAction(db: Db | Tx, actor: Actor, type: ActionType, l: Loaded): Promise<void> {
  if (actor.kind !== 'official') throw forbidden();
  const atDesk = await rolesCovering(db, actor, l.row.receivingAgencyId);
  const atStep = await rolesCovering(db, actor, l.row.currentAgencyId);
  const hasAny = (set: Set<OfficialRole>, roles: OfficialRole[]) => roles.some((r) => set.has(r));
  if (atDesk.size === 0 && atStep.size === 0) throw dossierNotFound();
  const step = l.view.stepIndex !== null ? l.steps[l.view.stepIndex] : undefined;
  const holds = l.view.assigneeId === actor.userId;
  const stepOfficer = holds || hasAny(atStep, MANAGERS);
  let ok = false;
  switch (type) {
    case 'submit':
      ok = l.row.channel !== 'online' && hasAny(atDesk, DESK) && l.row.createdBy === actor.userId;
      break;
    case 'receive':
    case 'request_supplement_before_reception':
    case 'mark_result_ready':
    case 'return_result':
      ok = hasAny(atDesk, DESK);
      break;
    case 'withdraw':
      ok = hasAny(atDesk, DESK) || hasAny(atDesk, MANAGERS);
      break;
    case 'refuse':
      ok = l.view.status === 'submitted' || l.view.status === 'awaiting_supplement_before_reception' ? hasAny(atDesk, DESK) : stepOfficer;
      break;
    case 'claim':
      ok = !!step && atStep.has(step.role);
      break;
    case 'assign':
      ok = hasAny(atStep, MANAGERS);
      break;
    case 'forward':
    case 'return_step':
    case 'transfer':
    case 'request_supplement':
    case 'extend':
    case 'stop':
      ok = stepOfficer;
      break;
    case 'approve':
      ok = atStep.has('agency_leader') && step?.role === 'agency_leader';
      break;
    case 'supplement':
    case 'rate':
      ok = false;
      break;
  }
  if (!ok) throw forbidden();
}
