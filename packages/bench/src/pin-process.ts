import { execFileSync } from "node:child_process";

/**
 * Pins every thread of a process to a CPU list (`"0"`, `"0-3"`) with `taskset`; false where
 * taskset is missing or refuses, and the process runs unpinned.
 */
export function pinProcess(pid: number, cpuList: string): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpuList, String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
