export { dossierRoutes, sendAttachment, cleanFilename } from './dossier.routes.ts';
export { deriveDossier, type DossierView, type ProcessStep } from './state.ts';
export { processRoutes } from './process.routes.ts';
export { scheduleDeadlineSweep, sweepDeadlines } from './deadlines.ts';
