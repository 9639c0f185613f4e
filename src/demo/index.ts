export {
  runDemo,
  type DemoOptions,
  type DemoProgress,
  type DemoReport,
  type RunningDemo,
} from './run-demo.ts';
export { percentiles } from './percentiles.ts';
export {
  closeOpportunities,
  demoEmulatorConfig,
  demoRelayConfig,
  seedOpportunities,
  type Closing,
  type DemoRelaySettings,
} from './demo-org.ts';
