import type { BenchCase } from '../cases/types.js';
import { drive, type LoadOptions, type LoadResult } from './load.js';
import { type ServerProcess, startServer } from './server-process.js';
import { median } from './stats.js';

/** How a whole run is paced. */
export interface RunOptions extends LoadOptions {
  /** Seconds of unmeasured load before a server's first measured round. */
  warmup: number;
  /** Measured rounds per case, each paired with a bare run just before it. */
  rounds: number;
}

/** One case's figures over all rounds. */
export interface CaseReport {
  benchCase: BenchCase;
  /** Median requests/s of the case. */
  rps: number;
  /** Median requests/s of the bare runs paired with it. */
  bareRps: number;
  /** Median of the per-round ratios case/bare: robust to the machine's noise drifting. */
  ratio: number;
  /** Every round's ratio, to show how much the machine's noise moved it. */
  ratios: number[];
  /**
   * Median server CPU (user + system) per answered request, µs, of the case and of the bare
   * runs paired with it. CPU a request costs moves far less with background load than
   * requests/s do, so this is the steadier figure on a shared machine.
   */
  cpuMicrosPerRequest: number;
  bareCpuMicrosPerRequest: number;
  readsPerRequest: number | null;
  writesPerRequest: number | null;
  /** Non-2xx answers, errors and timeouts over all measured rounds. */
  failed: number;
}

type CpuRun = LoadResult & { cpuPerRequest: number };

/** One measured run, with the server process's CPU per answered request. */
async function driveWithCpu(server: ServerProcess, options: RunOptions): Promise<CpuRun> {
  const before = await server.cpuMicros();
  const result = await drive(server.url, server.request, options);
  const used = (await server.cpuMicros()) - before;
  return { ...result, cpuPerRequest: result.answered > 0 ? used / result.answered : Number.NaN };
}

/** Starts a case's server and puts it through the warm-up (JIT, pools, caches). */
export async function startWarm(c: BenchCase, options: RunOptions): Promise<ServerProcess> {
  const server = await startServer(c.id);
  await drive(server.url, server.request, { ...options, duration: options.warmup });
  await server.resetCounts();
  return server;
}

/**
 * Measures one case against an already warm bare server, interleaved: bare, case, bare,
 * case… so both see the same background load, and the ratio is taken per round.
 */
export async function measureCase(
  c: BenchCase,
  bare: ServerProcess,
  options: RunOptions,
): Promise<CaseReport> {
  const server = await startWarm(c, options);
  const bareRuns: CpuRun[] = [];
  const runs: CpuRun[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      bareRuns.push(await driveWithCpu(bare, options));
      runs.push(await driveWithCpu(server, options));
    }
    const counts = await server.counts();
    const ok = runs.reduce((sum, r) => sum + r.ok, 0);
    const ratios = runs.map((r, i) => r.requestsPerSecond / bareRuns[i]!.requestsPerSecond);
    return {
      benchCase: c,
      rps: median(runs.map((r) => r.requestsPerSecond)),
      bareRps: median(bareRuns.map((r) => r.requestsPerSecond)),
      ratio: median(ratios),
      ratios,
      cpuMicrosPerRequest: median(runs.map((r) => r.cpuPerRequest)),
      bareCpuMicrosPerRequest: median(bareRuns.map((r) => r.cpuPerRequest)),
      readsPerRequest: counts && ok > 0 ? counts.reads / ok : null,
      writesPerRequest: counts && ok > 0 ? counts.writes / ok : null,
      failed: runs.reduce((sum, r) => sum + r.failed, 0),
    };
  } finally {
    await server.stop();
  }
}
