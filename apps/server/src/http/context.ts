import type { FastifyRequest } from 'fastify';
import type { RoleGrant } from '@motcua/contracts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Sealer } from '../modules/identity/secrets.ts';
import type { Actor } from '../modules/policy/index.ts';
import type { AuditContext } from '../modules/audit/audit.ts';
import { authenticationRequired } from './errors.ts';

/** What every module's routes receive: no module-level singletons. */
export interface AppDeps {
  config: Config;
  db: Db;
  sealer: Sealer;
}

export interface SessionInfo {
  idHash: Buffer;
  csrfToken: string;
  email: string | null;
  phone: string | null;
  grants: RoleGrant[];
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
  }
}

export function auditCtx(req: FastifyRequest): AuditContext {
  return {
    actorId: req.actor?.userId ?? null,
    actorName: req.actor?.fullName ?? null,
    ip: req.ip,
    requestId: String(req.id),
  };
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw authenticationRequired();
  return req.actor;
}
