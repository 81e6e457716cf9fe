export { catalogRoutes } from './catalog.routes.ts';
export { compileFormSchema, checkFormSchema } from './online-form.ts';
export {
  ensureField, findDetail as findProcedure, insertHistory as insertProcedureHistory, insertProcedures, loadSnapshots,
  type HistoryWrite, type ProcedureWrite,
} from './catalog.repository.ts';
export { findHead as findProcedureHead } from './catalog.repository.ts';
export { inScope, manageScope } from './catalog.service.ts';
export { canonicalSnapshot, creationDiff, type ProcedureSnapshot } from './model.ts';
