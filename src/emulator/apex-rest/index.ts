export { apexRestRoutes, type ApexRestRoutesOptions } from './apex-rest-routes.ts';
