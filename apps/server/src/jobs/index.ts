export { createJobs, prepareJobSchema, QUEUES, startWorkerBoss, txExecutor, type Jobs, type QueueName } from './boss.ts';
export { createGateways, startSandboxes, type Gateways, type Sandboxes } from './gateways.ts';
export { startWorker, type Worker, type WorkerDeps } from './worker.ts';
