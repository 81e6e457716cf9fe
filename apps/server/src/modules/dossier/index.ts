export { dossierRoutes, sendAttachment, cleanFilename } from './dossier.routes.ts';
export { deriveDossier, type DossierView, type ProcessStep } from './state.ts';
export { processRoutes } from './process.routes.ts';
export { scheduleDeadlineSweep, sweepDeadlines } from './deadlines.ts';
export { appendAction, loadDossier, noHooks, type ActionEvent, type DossierHooks, type Loaded } from './dossier.service.ts';
export { assertCanView, rolesCovering } from './access.ts';
export { presentDossier } from './presenter.ts';
export { dossierDocumentRoutes } from './documents.routes.ts';
