/** Timing helpers shared by the benchmarks: they print figures, so these only measure and format. */

/** Runs a full collection when node was started with --expose-gc (npm run bench does), else nothing. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall and CPU (user + system) milliseconds; CPU time is the steadier figure on a busy machine. */
export function timed<T>(work: () => T): { value: T; ms: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { value, ms, cpu: (cpu.user + cpu.system) / 1000 };
}

/** Wall milliseconds of an async piece of work. */
export async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** "median 120 ms, min 110 ms, max 150 ms" of a few runs. */
export function stats(runs: readonly number[]): string {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms`;
}
