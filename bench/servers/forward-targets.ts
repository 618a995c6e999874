// Starts bench/servers/forward-target-worker.ts and asks it what arrived.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild, track } from './cleanup.js';

const WORKER = fileURLToPath(new URL('./forward-target-worker.ts', import.meta.url));

export interface ForwardTargets {
  readonly pid: number;
  /** Target URLs: `count` distinct paths on the one server. */
  urls(count: number): string[];
  /** Deliveries received so far, by path. */
  counts(): Promise<Record<string, number>>;
  /** Delay from each webhook's send time to its delivery's arrival. */
  latency(): Promise<{ count: number; p50Ms: number; p99Ms: number; maxMs: number }>;
  /** Forgets the delays measured so far (the warm-up's). */
  clearLatency(): Promise<void>;
  stop(): Promise<void>;
}

export async function startForwardTargets(): Promise<ForwardTargets> {
  const child: ChildProcess = track(fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
      if (found) resolve(Number(found));
    });
    child.once('exit', (code) => reject(new Error(`the forward target process exited with code ${code}`)));
  });
  const ask = <T>(type: string, key: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (reply: Record<string, T>) => resolve(reply[key]!));
      child.send({ type });
    });
  return {
    pid: child.pid!,
    urls: (count) => Array.from({ length: count }, (_, i) => `http://127.0.0.1:${port}/target-${i + 1}`),
    counts: () => ask('counts', 'counts'),
    latency: () => ask('latency', 'latency'),
    clearLatency: async () => {
      await ask('clearLatency', 'cleared');
    },
    stop: () => stopChild(child),
  };
}
