import { readFileSync } from "node:fs";

/** One reading of a process's resources. */
export interface ProcessSample {
  /** `performance.now()` when read. */
  at: number;
  rssBytes: number;
  /** User plus system CPU time since the process started. */
  cpuSeconds: number;
}

// USER_HZ: the unit of /proc/PID/stat's CPU times; 100 on every Linux architecture Node runs on.
const ticksPerSecond = 100;

/** Reads /proc/PID/stat's utime + stime; the command name may hold spaces or parentheses. */
export function parseCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After "pid (comm) ", fields start at the state (field 3); utime and stime are fields 14, 15.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Reads /proc/PID/status's VmRSS (in kB) as bytes. */
export function parseRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

/**
 * Samples a process's resident memory and CPU time from /proc (Linux), for the gateway's side
 * of the figures. Each sample is two small synchronous reads, taken on the run's progress tick.
 */
export class ProcessSampler {
  readonly pid: number;
  readonly samples: ProcessSample[] = [];

  constructor(pid: number) {
    this.pid = pid;
  }

  /** Takes one sample; null when the process is gone (or /proc is not there). */
  sample(): ProcessSample | null {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const sample = {
        at: performance.now(),
        rssBytes: parseRssBytes(status),
        cpuSeconds: parseCpuSeconds(stat),
      };
      this.samples.push(sample);
      return sample;
    } catch {
      return null;
    }
  }
}
