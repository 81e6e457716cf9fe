export { catalogRoutes } from './catalog.routes.ts';
export { compileFormSchema, checkFormSchema } from './online-form.ts';
export {
  ensureField, findDetail as findProcedure, insertHistory as insertProcedureHistory, insertProcedures, loadSnapshots,
  type HistoryWrite, type ProcedureWrite,
} from './catalog.repository.ts';
export { canonicalSnapshot, creationDiff, type ProcedureSnapshot } from './model.ts';
