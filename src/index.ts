/**
 * The in-process API: `const sim = await startAwsim({ port: 0 })` → { url, port, reset(), stop() }.
 * Each call builds its own server and state; several in one process share nothing.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp, createAwsServer } from "./app.js";
import { defaultConfig, type AwsimConfig } from "./config.js";
import { createLogger } from "./log.js";
import { FakeRunner } from "./runtime/fake-runner.js";
import type { TaskRunner } from "./runtime/types.js";
import { collectOrphansAtStart, defaultDataDir } from "./persist/persist.js";
import { type SnapshotMeta, SnapshotStore } from "./persist/snapshots.js";
import { Simulator } from "./services/core/simulator.js";

export type { AwsimConfig } from "./config.js";
export type { SnapshotMeta } from "./persist/snapshots.js";
export { AwsError } from "./protocols/aws-error.js";

export interface StartOptions extends Partial<AwsimConfig> {}

export interface AwsimServer {
  /** http://HOST:PORT — what clients use as their endpoint. */
  url: string;
  port: number;
  /** Extra ports (alsoListen) actually bound. */
  ports: number[];
  config: AwsimConfig;
  /** Drop all state, or one service's (e.g. "s3"). Processes started in execute mode are killed. */
  reset(service?: string): Promise<void>;
  /** Save the whole state (or one service's) as snapshot `name` (in memory, or under dataDir/snapshots). */
  snapshot(name: string, opts?: { service?: string }): Promise<SnapshotMeta>;
  /** Replace the current state with snapshot `name` (processes of execute mode are stopped, as reset does). */
  restore(name: string): Promise<SnapshotMeta>;
  /** The snapshots kept (name, services, created, size). */
  snapshots(): SnapshotMeta[];
  /** Remove snapshot `name`; false when there was none. */
  deleteSnapshot(name: string): boolean;
  /** Stop the server, kill every process it started, remove its temp files. */
  stop(): Promise<void>;
}

async function createRunner(config: AwsimConfig): Promise<TaskRunner> {
  if (!config.execute) return new FakeRunner();
  const { ProcessRunner } = await import("./runtime/process-runner.js");
  return new ProcessRunner(config);
}

export async function startAwsim(options: StartOptions = {}): Promise<AwsimServer> {
  const config = defaultConfig(options);
  if (config.persist && !config.dataDir) config.dataDir = defaultDataDir();
  const log = createLogger(config.logLevel);
  const runner = await createRunner(config);
  const sim = new Simulator(config, runner);
  const snapshots = (sim.snapshots = new SnapshotStore(sim));
  if (config.persist) {
    // Loaded only with --persist: start-up without it does not pay for the journal's modules.
    const { Journal } = await import("./persist/journal.js");
    const journal = new Journal(sim, config.fsync ?? "batch");
    await journal.load();
    collectOrphansAtStart(sim);
    sim.journal = journal;
    journal.start();
  }
  if (config.load) await snapshots.restore(config.load);
  const app = buildApp(sim, log);
  // Responses go out at once (no Nagle delay on large XML/JSON bodies written in several chunks).
  app.server.on("connection", (socket) => socket.setNoDelay(true));
  await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as AddressInfo).port;
  const hostForUrl = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;
  sim.setUrl(url);

  const extra: Server[] = [];
  const ports: number[] = [];
  try {
    for (const p of config.alsoListen) {
      const s = createAwsServer(sim, log, (req, res) => app.server.emit("request", req, res));
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(p, config.host, () => resolve());
      });
      extra.push(s);
      ports.push((s.address() as AddressInfo).port);
    }
  } catch (e) {
    for (const s of extra) s.close();
    await app.close();
    await sim.stop();
    throw e;
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    ports,
    config,
    reset: (service?: string) => sim.reset(service),
    snapshot: (name, opts) => snapshots.save(SnapshotStore.checkName(name), opts),
    restore: (name) => snapshots.restore(name),
    snapshots: () => snapshots.list(),
    deleteSnapshot: (name) => snapshots.delete(name),
    stop: () =>
      (stopped ??= (async () => {
        for (const s of extra) {
          s.closeAllConnections();
          await new Promise<void>((r) => s.close(() => r()));
        }
        await app.close();
        await sim.journal?.close();
        await sim.stop();
      })()),
  };
}
