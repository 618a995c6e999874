// What the kernel says processes have used: CPU time and resident memory, from /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat (normally 100). */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

/** User + system CPU time of every thread of the process so far, in ms (resolution: one tick, 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Fields of the "cpu" line of /proc/stat that are busy time: user nice system (idle iowait) irq softirq steal. */
const BUSY_FIELDS = [0, 1, 2, 5, 6, 7];

/** Cores used by each named process during a window, and by everything else on the machine. */
export type CoreUse<Name extends string> = Record<Name | 'everythingElse', number>;

/**
 * Starts a window; the function it returns ends it and says how many cores each process used (1 = one
 * core all the time). `everythingElse` is what the machine spent beyond them: near 0 on a quiet
 * machine, so a larger value means another program disturbed the measurement.
 */
export function startCoreMeter<Name extends string>(pids: Record<Name, number>): () => CoreUse<Name> {
  const names = Object.keys(pids) as Name[];
  const startedAt = performance.now();
  const machineBefore = machineBusyMs();
  const before = names.map((name) => cpuTimeMs(pids[name]));
  return () => {
    const elapsedMs = performance.now() - startedAt;
    const use = {} as CoreUse<Name>;
    let ours = 0;
    names.forEach((name, i) => {
      use[name] = (cpuTimeMs(pids[name]) - before[i]!) / elapsedMs;
      ours += use[name];
    });
    use.everythingElse = (machineBusyMs() - machineBefore) / elapsedMs - ours;
    return use;
  };
}

/** CPU time the whole machine spent busy so far (all cores, user + system + interrupts + steal), in ms. */
function machineBusyMs(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busyTicks = BUSY_FIELDS.reduce((total, field) => total + (ticks[field] ?? 0), 0);
  return (busyTicks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** VmRSS of the process, in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}
