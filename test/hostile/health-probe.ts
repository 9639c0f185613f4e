import { spawn } from 'node:child_process';

export interface HealthProbe {
  /** Stops probing; resolves with every round trip's milliseconds. */
  stop(): Promise<number[]>;
}

/**
 * Asks `url` again and again from a separate Node process, each round trip on a fresh
 * connection, until stopped: how long a newcomer waits for the server, whatever else is going on.
 */
export async function startHealthProbe(url: string): Promise<HealthProbe> {
  const script = `
    const http = require('node:http');
    const latencies = [];
    let running = true;
    process.stdin.on('end', () => { running = false; });
    process.stdin.resume();
    const once = () => new Promise((resolve, reject) => {
      const started = performance.now();
      http.get(${JSON.stringify(url)}, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error('status ' + res.statusCode));
          else resolve(performance.now() - started);
        });
      }).on('error', reject);
    });
    (async () => {
      process.stdout.write('ready\\n');
      while (running) {
        latencies.push(await once());
        await new Promise((r) => setTimeout(r, 5));
      }
      process.stdout.write(JSON.stringify(latencies) + '\\n');
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (output.startsWith('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`the health probe exited early: ${output}`)));
  });
  return {
    stop: async () => {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`the health probe failed (exit ${String(code)})`);
      const last = output.trim().split('\n').at(-1) ?? '[]';
      return JSON.parse(last) as number[];
    },
  };
}
