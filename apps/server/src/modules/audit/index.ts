export { writeAudit, withDeferredAudit, verifyAuditChain, canonicalJson, type AuditContext, type AuditEntry } from './audit.ts';
export { auditRoutes } from './audit.routes.ts';
