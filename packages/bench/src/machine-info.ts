import { cpus, freemem, loadavg, release, totalmem, type } from "node:os";

/** The machine a run was measured on: shared machines make absolute figures noisy. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  os: string;
  node: string;
  /** The 1-minute load average when the run started. */
  loadAverage: number;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? "unknown",
    cores: processors.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: loadavg()[0] ?? 0,
  };
}
