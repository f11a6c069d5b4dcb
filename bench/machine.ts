// What machine the numbers were taken on: cores, CPU model, memory, load, date.
import * as os from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpu_model: string;
  memory_gib: number;
  node: string;
  platform: string;
  loadavg_start: number[];
  loadavg_end?: number[];
  date: string;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
    memory_gib: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
}
