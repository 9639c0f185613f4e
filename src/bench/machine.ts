import { cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './report.ts';

export function describeMachine(secondsPerRun: number): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    platform: `${platform()} ${release()}`,
    nodeVersion: process.version,
    secondsPerRun,
  };
}
