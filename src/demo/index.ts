export {
  runDemo,
  type DemoOptions,
  type DemoProgress,
  type DemoReport,
  type RunningDemo,
} from './run-demo.ts';
export { percentiles } from './percentiles.ts';
