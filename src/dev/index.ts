export {
  startDev,
  devProcessUsing,
  DEV_DATA_FILES,
  DEV_PID_FILE,
  type DevOptions,
  type RunningDev,
} from './start-dev.ts';
export { DevDataDirBusyError } from './errors.ts';
export { DEV_ERRORS } from './error-catalogue.ts';
