import { readFileSync, readdirSync } from 'node:fs';

/**
 * Where the machine's CPU goes during a bench phase, per process, read from /proc (Linux): on a
 * machine whose cores the publisher, the broker, PostgreSQL and the API share, a component's CPU
 * time per fix is a steadier and more telling figure than any rate.
 */

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in ms, or null when it is gone (or not on Linux). */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Child processes of `pid` whose command line contains `needle`. */
export function childPids(pid: number, needle: string): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes(needle)) found.push(child);
      } catch {
        // gone
      }
    }
  }
  return found;
}

/** A component of the budget: the processes it is made of, asked anew at each reading. */
export interface BudgetPart {
  name: string;
  pids(): number[] | Promise<number[]>;
}

export type CpuReading = Map<string, Map<number, number>>;

export async function readCpu(parts: readonly BudgetPart[]): Promise<CpuReading> {
  const reading: CpuReading = new Map();
  for (const part of parts) {
    const byPid = new Map<number, number>();
    for (const pid of await part.pids()) {
      const ms = processCpuMs(pid);
      if (ms !== null) byPid.set(pid, ms);
    }
    reading.set(part.name, byPid);
  }
  return reading;
}

/**
 * CPU ms of each part between two readings. A process present only at the end counts from zero
 * (it started during the phase); one present only at the start is not counted (it ended, and its
 * last reading is unknown).
 */
export function cpuBetween(before: CpuReading, after: CpuReading): Array<{ name: string; ms: number }> {
  return [...after].map(([name, byPid]) => {
    let ms = 0;
    for (const [pid, end] of byPid) ms += end - (before.get(name)?.get(pid) ?? 0);
    return { name, ms };
  });
}
