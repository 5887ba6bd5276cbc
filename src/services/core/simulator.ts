/**
 * One server instance's world: configuration, the runtime, and every service's state partitioned by
 * account and region (or as the service scopes it). Nothing here is module-level: two servers in one
 * process share nothing.
 */
import type { AwsimConfig } from "../../config.js";
import type { TaskRunner } from "../../runtime/types.js";
import { SERVICES, serviceByName, type ServiceDescriptor } from "../index.js";
import { partitionOf } from "./arn.js";
import { gcSoon } from "./gc.js";
import type { KeyUse, Principal, ServiceDefinition, SimHandle } from "./types.js";

export class Simulator implements SimHandle {
  readonly config: AwsimConfig;
  readonly runner: TaskRunner;
  private baseUrl = "";
  private readonly defs = new Map<string, ServiceDefinition>();
  private readonly loading = new Map<string, Promise<ServiceDefinition>>();
  /** service -> scope key -> state */
  private readonly states = new Map<string, Map<string, unknown>>();
  private readonly shutdownHooks: Array<() => Promise<void> | void> = [];
  /** Named snapshots (src/persist/snapshots.ts), set by startAwsim(). */
  snapshots?: import("../../persist/snapshots.js").SnapshotStore;
  /** --persist: the journal every scope a request touched is written to (src/persist/journal.ts). */
  journal?: import("../../persist/journal.js").Journal;

  constructor(config: AwsimConfig, runner: TaskRunner) {
    this.config = config;
    this.runner = runner;
  }

  setUrl(url: string): void {
    this.baseUrl = url;
  }

  url(): string {
    return this.baseUrl;
  }

  /** The loaded definition, if the service was already used (sync fast path). */
  loaded(name: string): ServiceDefinition | undefined {
    return this.defs.get(name);
  }

  load(desc: ServiceDescriptor): Promise<ServiceDefinition> | ServiceDefinition {
    const d = this.defs.get(desc.name);
    if (d) return d;
    let p = this.loading.get(desc.name);
    if (!p) {
      p = desc.load().then((def) => {
        this.defs.set(desc.name, def);
        return def;
      });
      this.loading.set(desc.name, p);
    }
    return p;
  }

  private scopeKey(def: ServiceDefinition, accountId: string, region: string): string {
    switch (def.scope ?? "region") {
      case "global":
        return "*";
      case "account":
        return accountId;
      default:
        return `${accountId}/${region}`;
    }
  }

  stateFor<S>(def: ServiceDefinition, accountId: string, region: string): S {
    let byScope = this.states.get(def.name);
    if (!byScope) this.states.set(def.name, (byScope = new Map()));
    const key = this.scopeKey(def, accountId, region);
    let st = byScope.get(key);
    if (st === undefined) {
      st = def.createState({ accountId, region, sim: this });
      byScope.set(key, st);
    }
    this.journal?.touch(def.name, key);
    return st as S;
  }

  async stateOf<S>(service: string, accountId: string, region: string): Promise<S> {
    const desc = serviceByName(service);
    if (!desc) throw new Error(`unknown service ${service}`);
    const def = await this.load(desc);
    return this.stateFor<S>(def, accountId, region);
  }

  statesOf<S>(service: string): S[] {
    return [...(this.states.get(service)?.values() ?? [])] as S[];
  }

  /** The identity an access key id maps to, asked of every loaded service that issues keys. */
  identify(accessKeyId: string, use?: KeyUse): Principal | undefined {
    for (const def of this.defs.values()) {
      if (!def.identify) continue;
      for (const st of this.states.get(def.name)?.values() ?? []) {
        const who = def.identify(st, accessKeyId, use);
        if (who) return who;
      }
    }
    return this.rootKey(accessKeyId, use?.region);
  }

  /** A root key from the configuration (--root-keys AKID:SECRET,...). */
  private rootKey(accessKeyId: string, region = this.config.defaultRegion): Principal | undefined {
    for (const entry of this.config.rootKeys ?? []) {
      const i = entry.indexOf(":");
      if (i < 0 || entry.slice(0, i) !== accessKeyId) continue;
      const accountId = /^\d{12}$/.test(accessKeyId) ? accessKeyId : this.config.defaultAccountId;
      const partition = partitionOf(region);
      return { accountId, arn: `arn:${partition}:iam::${accountId}:root`, userId: accountId, kind: "root", secret: entry.slice(i + 1) };
    }
    return undefined;
  }

  /** Snapshots and persistence (src/persist): the scopes a service holds now, by scope key. */
  scopesOf(service: string): ReadonlyMap<string, unknown> | undefined {
    return this.states.get(service);
  }

  /** Services that hold state now. */
  servicesWithState(): string[] {
    return [...this.states.keys()];
  }

  /** Replace a service's state wholesale (snapshot restore): the old states are disposed as reset does. */
  async replaceStates(service: string, byScope: Map<string, unknown>): Promise<void> {
    await this.reset(service);
    if (byScope.size) this.states.set(service, byScope);
  }

  onShutdown(fn: () => Promise<void> | void): void {
    this.shutdownHooks.push(fn);
  }

  /** Drop all state (or one service's), disposing what it holds. */
  async reset(service?: string): Promise<void> {
    const names = service ? [service] : [...this.states.keys()];
    // The task runner holds ECS tasks only: dropping ECS state stops them too, or the runner would keep each
    // task's listener (and through it the dropped state) and, in execute mode, its processes.
    if (!service || service === "ecs") await this.runner.stopAll();
    for (const name of names) {
      const def = this.defs.get(name);
      const byScope = this.states.get(name);
      if (def?.dispose && byScope) for (const st of byScope.values()) await def.dispose(st);
      this.states.delete(name);
      this.journal?.dropped(name);
    }
    // What was dropped is garbage V8 may not collect for a long time on an idle server (src/services/core/gc.ts).
    if (names.length) gcSoon();
  }

  async stop(): Promise<void> {
    await this.reset();
    for (const fn of this.shutdownHooks.splice(0)) await fn();
  }

  /** Per-service resource counts for /_awsim/health (only services that hold state are counted). */
  counts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const desc of SERVICES) {
      const def = this.defs.get(desc.name);
      const totals: Record<string, number> = {};
      if (def?.counts) {
        for (const st of this.states.get(desc.name)?.values() ?? []) {
          for (const [k, v] of Object.entries(def.counts(st))) totals[k] = (totals[k] ?? 0) + v;
        }
      }
      out[desc.name] = totals;
    }
    return out;
  }
}
