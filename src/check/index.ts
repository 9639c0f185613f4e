export { runChecks, type CheckResult } from './run-checks.ts';
