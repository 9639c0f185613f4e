export { dashboardRoutes, type DashboardOptions } from './dashboard-routes.ts';
export { Throughput, type ThroughputPoint } from './throughput.ts';
export { type DashboardCredentials } from './dashboard-auth.ts';
