import { readFileSync } from 'node:fs';

/**
 * Resident set size of another process in MB, read from /proc (Linux); null elsewhere or when
 * the process is gone. Read from outside so measuring costs the server nothing.
 */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 102.4) / 10;
  } catch {
    return null;
  }
}
