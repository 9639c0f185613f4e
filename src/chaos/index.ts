export {
  runChaos,
  ChaosRunError,
  type ChaosOptions,
  type ChaosProgress,
  type ChaosResult,
} from './run-chaos.ts';
export {
  renderChaosJson,
  renderChaosTable,
  renderProblems,
  type ChaosDetails,
  type ChaosReport,
} from './chaos-report.ts';
export { CHAOS_ERRORS } from './error-catalogue.ts';
