// How big and how long each scenario is: the full run (under 2 minutes) and --quick (under ~40 s,
// fewer clients and shorter windows: a smoke test whose figures are only indicative).

export interface BenchSettings {
  quick: boolean;
  throughput: {
    sseClients: number;
    /** Keep-alive connections, one request in flight on each (Meet does not pipeline). */
    connections: number;
    warmupMs: number;
    measureMs: number;
    /** Deliveries signed before each run; more than the fastest server is expected to take. */
    prebuiltRequests: number;
    /** Runs per server, alternating between them; the figure is over all of them. */
    rounds: number;
  };
  cpu: { sseClients: number; ratePerSecond: number; warmupMs: number; windowMs: number; rounds: number };
  memory: {
    idleClients: number;
    /** Wait after warm-up, and after the clients connected, before reading VmRSS. */
    settleMs: number;
    connectClients: number;
    connectConcurrency: number;
  };
  latency: { sseClients: number; ratePerSecond: number; warmupMs: number; windowMs: number };
  /** The dashboard in headless chromium: rooms created (then as many again as `largeRooms`), page loads timed, badge flips timed. */
  browser: { rooms: number; largeRooms: number; pageLoads: number; badgeUpdates: number };
  /** GET /api/usage on stores with 30 days of meetings, at each size; and the Usage screen's first render. */
  usage: { webhookCounts: number[]; days: number; requests: number; pageLoads: number };
  /** The inspector's listing: stored webhooks before each server starts, and timed requests per filter. */
  listing: { sizes: [number, number]; requests: number };
}

export const FULL_RUN: BenchSettings = {
  quick: false,
  throughput: { sseClients: 10, connections: 32, warmupMs: 1000, measureMs: 5000, prebuiltRequests: 90_000, rounds: 2 },
  // ≥ 8 s so that CPU clock ticks (10 ms) are a small part of what is measured.
  cpu: { sseClients: 1000, ratePerSecond: 20, warmupMs: 1000, windowMs: 10_000, rounds: 2 },
  memory: { idleClients: 2000, settleMs: 1000, connectClients: 10_000, connectConcurrency: 500 },
  latency: { sseClients: 1000, ratePerSecond: 20, warmupMs: 1000, windowMs: 10_000 },
  browser: { rooms: 1000, largeRooms: 10_000, pageLoads: 5, badgeUpdates: 20 },
  usage: { webhookCounts: [10_000, 100_000], days: 30, requests: 50, pageLoads: 5 },
  listing: { sizes: [10_000, 100_000], requests: 31 },
};

export const QUICK_RUN: BenchSettings = {
  quick: true,
  throughput: { sseClients: 10, connections: 32, warmupMs: 500, measureMs: 2000, prebuiltRequests: 40_000, rounds: 1 },
  cpu: { sseClients: 300, ratePerSecond: 20, warmupMs: 500, windowMs: 3000, rounds: 1 },
  memory: { idleClients: 500, settleMs: 500, connectClients: 2000, connectConcurrency: 500 },
  latency: { sseClients: 300, ratePerSecond: 20, warmupMs: 500, windowMs: 3000 },
  browser: { rooms: 1000, largeRooms: 10_000, pageLoads: 2, badgeUpdates: 5 },
  usage: { webhookCounts: [2_000, 20_000], days: 30, requests: 20, pageLoads: 2 },
  listing: { sizes: [10_000, 100_000], requests: 11 },
};
