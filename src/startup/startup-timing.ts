/**
 * Where a start-up's time goes: each phase marks when it ended, in milliseconds since the process started
 * (performance.now() counts from the process's time origin), so loading modules, opening the database,
 * migrating and building the Nest application can be told apart in the start-up log and in
 * `npm run bench -- startup`. Marks are process-wide; a later mark of the same phase replaces the earlier one.
 */
import { performance } from 'node:perf_hooks';

export type StartupPhase = 'modules' | 'database' | 'migrations' | 'nest' | 'listening';

interface Mark {
  /** Wall milliseconds since the process started. */
  at: number;
  /** CPU milliseconds (user + system, every thread of the process) since it started. */
  cpu: number;
}

const marks = new Map<StartupPhase, Mark>();

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Records that `phase` has just ended. */
export function markStartup(phase: StartupPhase): void {
  marks.set(phase, { at: performance.now(), cpu: cpuMs() });
}

/**
 * The marks so far as log fields, in the order they were made: `<phase>Ms`, when the phase ended, and
 * `<phase>CpuMs`, the process's CPU time by then (which depends less than wall time on what else the machine
 * runs), both rounded and counted from the process's start.
 */
export function startupTimingFields(): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const [phase, { at, cpu }] of [...marks].sort((a, b) => a[1].at - b[1].at)) {
    fields[`${phase}Ms`] = Math.round(at);
    fields[`${phase}CpuMs`] = Math.round(cpu);
  }
  return fields;
}
