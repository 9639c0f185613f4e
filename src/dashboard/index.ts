export { dashboardRoutes, type DashboardOptions } from './dashboard-routes.ts';
export { Throughput, type ThroughputPoint } from './throughput.ts';
export {
  dashboardGuard,
  hasCredentials,
  type DashboardCredentials,
  type OperatorGuard,
} from './dashboard-auth.ts';
export { securityHeaders } from './security-headers.ts';
