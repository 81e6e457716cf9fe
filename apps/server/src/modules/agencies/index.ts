export { agenciesRoutes } from './agencies.routes.ts';
export { agencyChain, findAgency, listAgencies, subtreeIds } from './agencies.repository.ts';
