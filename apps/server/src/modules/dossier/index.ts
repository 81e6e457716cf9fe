export { dossierRoutes, sendAttachment, cleanFilename } from './dossier.routes.ts';
export { deriveDossier, type DossierView, type ProcessStep } from './state.ts';
