// Boot: load the snapshot, draw it, then stream from its position. One EventSource for the page; every
// frame goes into the state whatever screen is showing, and the views redraw only the rows it changed.
import type { RecordingRow } from '../../server/domain/rows.js';
import { ApiError, api } from './api.js';
import { h } from './dom.js';
import { formatDuration } from './format.js';
import { LiveStream } from './live.js';
import { hrefFor, onRouteChange, type Route } from './router.js';
import { DashboardState, type RowChange } from './state.js';
import { header } from './views/header.js';
import { joinScreen } from './views/join.js';
import { eventDetailScreen } from './views/event-detail.js';
import { eventsScreen } from './views/events.js';
import { forwardTargetsSection } from './views/forward-targets.js';
import { apiBanner } from './views/api-banner.js';
import { playerScreen } from './views/player.js';
import { recordingsScreen } from './views/recordings.js';
import { roomsScreen } from './views/rooms.js';
import { setupScreen } from './views/setup.js';
import { roomScreen } from './views/room.js';
import { skipLink } from './views/skip-link.js';
import { usageScreen } from './views/usage.js';
import { mountToasts, showToast } from './views/toast.js';
import { setPlatformApisInUse } from './views/platform-actions.js';

/** Measurements for tests and curious people; nothing here can change the page. */
const timings = { snapshotMs: NaN, firstRenderMs: NaN, readyAt: NaN, lastFrameMs: NaN };

const state = new DashboardState();
const top = header();
const banner = apiBanner();
const rooms = roomsScreen(state);
const recordings = recordingsScreen(state);
const join = joinScreen(state);
const player = playerScreen(state);
const forwardTargets = forwardTargetsSection();
const events = eventsScreen(forwardTargets);
const eventDetail = eventDetailScreen(events.listHref);
const setup = setupScreen((report) => top.setSetupWarnings(report.platforms.filter((platform) => platform.silence !== null).length));
/** How often an open page asks whether a platform has gone silent (the report is kept in memory: cheap). */
const SETUP_CHECK_MS = 60_000;
const room = roomScreen(state);
const usage = usageScreen();
const bootProblem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });
const main = h('main', { class: 'container-xl app-main', attrs: { id: 'main', tabindex: '-1' } }, banner.element, bootProblem, rooms.element, recordings.element, join.element, player.element, events.element, eventDetail.element, setup.element, room.element, usage.element);

const root = document.getElementById('app') ?? document.body;
root.replaceChildren(skipLink(main), top.element, main);
mountToasts(document.body);

state.resets.subscribe(() => {
  // Rows are drawn next: an action button only where roomwatch uses that platform's API.
  setPlatformApisInUse(state.apis.keys());
  rooms.reset();
  recordings.reset();
  events.invalidate();
  usage.changed();
});
state.apiChanges.subscribe((apis) => {
  banner.show(apis);
  setup.changed();
});
state.recordingChanges.subscribe(announceCompletion);
// The setup screen counts meetings per platform and warns on unannounced ones: a room's change may move them.
state.roomChanges.subscribe(() => {
  setup.changed();
  room.changed();
});
state.recordingChanges.subscribe(() => room.changed());

const live = new LiveStream({
  room: (row) => {
    timeFrame(() => state.applyRoom(row, 'live'));
    usage.changed();
  },
  recording: (row) => timeFrame(() => state.applyRecording(row, 'live')),
  meet: (status) => state.applyMeet(status),
  platformApi: (source, status) => state.applyPlatformApi(source, status),
  forwarding: (status) => {
    top.setForwarding(status);
    forwardTargets.paint(status);
  },
  entry: (entry) => {
    events.receive(entry);
    setup.changed();
    room.receive(entry);
    usage.changed();
  },
  reload: async () => {
    const snapshot = await api.state();
    state.load(snapshot);
    void loadForwarding();
    return { seq: snapshot.seq, epoch: snapshot.epoch };
  },
  check: async () => {
    await api.state();
  },
  state: (liveState) => top.setLive(liveState),
});

const ready = boot();
Object.defineProperty(window, 'roomwatch', { value: Object.freeze({ ready, timings }), enumerable: false });

async function boot(): Promise<void> {
  const requested = performance.now();
  const snapshot = await loadSnapshot();
  const start = performance.now();
  timings.snapshotMs = start - requested;
  bootProblem.hidden = true;
  state.load(snapshot);
  top.setAuthRequired(snapshot.auth.required);
  void main.offsetHeight; // count style and layout of the first render too
  timings.firstRenderMs = performance.now() - start;
  onRouteChange(show);
  live.start({ seq: snapshot.seq, epoch: snapshot.epoch });
  void loadForwarding();
  timings.readyAt = performance.now();
  setup.check();
  window.setInterval(() => setup.check(), SETUP_CHECK_MS);
}

/** The snapshot, retried every few seconds while roomwatch cannot be reached (401 goes to the login page). */
async function loadSnapshot() {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await api.state();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      bootProblem.textContent = `The dashboard could not load: ${error instanceof Error ? error.message : String(error)} Retrying…`;
      bootProblem.hidden = false;
      await new Promise((resolve) => window.setTimeout(resolve, Math.min(1000 * 2 ** attempt, 10_000)));
    }
  }
}

/** The header's forwarding warning as it is now; later changes come as `forwarding` frames. */
async function loadForwarding(): Promise<void> {
  try {
    const overview = await api.forwarding();
    if (!overview.enabled) return;
    top.setForwarding(overview);
    forwardTargets.paint(overview);
  } catch {
    // The warning waits for the next frame; the rest of the page works without it.
  }
}

let current: Route['screen'] | undefined;
function show(route: Route): void {
  if (current === 'join' && route.screen !== 'join') join.leave();
  if (current === 'play' && route.screen !== 'play') player.leave();
  if (current === 'setup' && route.screen !== 'setup') setup.leave();
  if (current === 'room' && route.screen !== 'room') room.leave();
  if (current === 'event' && route.screen !== 'event') eventDetail.leave();
  rooms.element.hidden = route.screen !== 'rooms';
  recordings.element.hidden = route.screen !== 'recordings';
  join.element.hidden = route.screen !== 'join';
  player.element.hidden = route.screen !== 'play';
  events.element.hidden = route.screen !== 'events';
  eventDetail.element.hidden = route.screen !== 'event';
  setup.element.hidden = route.screen !== 'setup';
  room.element.hidden = route.screen !== 'room';
  usage.element.hidden = route.screen !== 'usage';
  if (route.screen !== 'usage') usage.hide();
  main.classList.toggle('full-bleed', route.screen === 'join' || route.screen === 'play');
  top.setRoute(route);
  switch (route.screen) {
    case 'rooms':
      rooms.show(route.filter);
      document.title = 'Rooms · roomwatch';
      break;
    case 'recordings':
      recordings.showRoom(route.roomId);
      document.title = 'Recordings · roomwatch';
      break;
    case 'join':
      join.enter(route.source, route.roomId, route.role);
      document.title = 'Meeting · roomwatch';
      break;
    case 'play':
      player.enter(route.source, route.recordingId);
      document.title = 'Recording · roomwatch';
      break;
    case 'events':
      events.show(route.filter);
      document.title = 'Events · roomwatch';
      break;
    case 'event':
      eventDetail.enter(route.seq);
      document.title = `Event #${route.seq} · roomwatch`;
      break;
    case 'room':
      room.enter(route.source, route.roomId);
      document.title = 'Room · roomwatch';
      break;
    case 'setup':
      setup.enter();
      document.title = 'Setup · roomwatch';
      break;
    case 'usage':
      usage.show(route.range);
      document.title = 'Usage · roomwatch';
      break;
  }
  if (current !== route.screen) window.scrollTo(0, 0);
  current = route.screen;
}

function timeFrame(apply: () => void): void {
  const start = performance.now();
  apply();
  timings.lastFrameMs = performance.now() - start;
}

/** A recording that became complete while the page watched (not on load, not on a resync). */
function announceCompletion({ row, previous, origin }: RowChange<RecordingRow>): void {
  if (origin !== 'live' || !row || row.status !== 'complete' || previous?.status === 'complete') return;
  showToast({
    title: 'Recording ready',
    body: `${row.roomName}${row.duration === undefined ? '' : ` · ${formatDuration(row.duration)}`}`,
    tone: 'success',
    link: { label: 'Show recordings', hash: hrefFor.recordings(row.roomId) },
    duration: 8000,
  });
}
