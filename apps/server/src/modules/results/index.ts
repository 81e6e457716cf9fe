/**
 * Result templates (issue 6): a procedure whose result is a simple certificate or decision gets
 * its result generated from the dossier's data at approval, then signed like an uploaded one.
 */
export { resultsRoutes } from './results.routes.ts';
export { generateResultHook, renderResultFor } from './results.service.ts';
export { BASE_PLACEHOLDERS, fill, formPlaceholders, unknownPlaceholders } from './template.ts';
