export { ACTIONS, can, scopeRoots, type Action, type Actor } from './policy.ts';
