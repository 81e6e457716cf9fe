export { applyTracking, bookShipment, postDossierHook, requestShipment, shipmentsOf, workerPostBook, type PostDeps, type TrackingOutcome } from './post.service.ts';
export { postRoutes } from './post.routes.ts';
export { postSandboxRoutes } from './sandbox-pages.ts';
export { canMoveShipment } from './status.ts';
