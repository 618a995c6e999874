// The buttons for what a row's platform API offers (ending a room, stopping a recording…), read from the
// platform catalog, and the one flow that runs any of them: ask, call, say what happened. The row itself
// changes when its frame arrives: the action's result is logged and streamed like any other change.
import { isFinished, type RecordingRow, type RoomRow, type SourceId } from '../../../server/domain/rows.js';
import type { CatalogAction } from '../../../server/platforms/catalog.js';
import { api, ApiError } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { platform, platformActions } from '../platforms.js';
import { openDialog } from './confirm.js';
import { showToast } from './toast.js';

type Target = CatalogAction['target'];

/** The platforms whose API roomwatch uses (the snapshot's `platforms[id].api`): only their rows get buttons. */
let apisInUse: ReadonlySet<string> = new Set();

/** Set from each snapshot, before its rows are drawn; a platform's API is on or off for the server's lifetime. */
export function setPlatformApisInUse(ids: Iterable<string>): void {
  apisInUse = new Set(ids);
}

/** Fills `container` with one button per action of the platform on this kind of row (a row's platform never changes). */
export function drawPlatformActions(container: HTMLElement, source: SourceId, target: Target): void {
  replaceChildren(
    container,
    ...(apisInUse.has(source) ? platformActions(source, target) : []).map((action) =>
      h('button', { class: 'btn btn-sm btn-outline-danger', attrs: { type: 'button' }, data: { action: 'platform-action', name: action.name }, text: action.label }),
    ),
  );
}

/** Enables each button while its action applies to the row as it is now. */
export function paintPlatformActions(container: HTMLElement, row: RoomRow | RecordingRow, target: Target): void {
  const live = target === 'room' ? (row as RoomRow).status !== 'closed' : !isFinished((row as RecordingRow).status);
  for (const action of platformActions(row.source, target)) {
    const button = container.querySelector<HTMLButtonElement>(`[data-name="${action.name}"]`);
    if (!button) continue;
    const disabled = action.whileLive === true && !live;
    if (button.disabled !== disabled) button.disabled = disabled;
    button.title = disabled ? `Only while the ${target === 'room' ? 'room is open' : 'recording is in progress'}` : `${action.label} (through the ${platform(row.source).name} API)`;
  }
}

/** Asks, runs the action through roomwatch, and says how it went; the row changes when its frame arrives. */
export async function runPlatformAction(source: SourceId, name: string, id: string, subject: string): Promise<void> {
  const action = [...platformActions(source, 'room'), ...platformActions(source, 'recording')].find((candidate) => candidate.name === name);
  if (!action) return;
  const { name: platformName } = platform(source);
  const dialog = openDialog<true>({
    title: `${action.label}?`,
    body: [
      h('p', {}, h('strong', { class: 'text-break', text: subject }), ` on ${platformName}.`),
      h('p', { class: 'mb-0', text: action.confirm ?? `roomwatch asks the ${platformName} API to do it.` }),
    ],
    buttons: [{ label: action.label, value: true, style: 'danger' }],
  });
  for (;;) {
    if ((await dialog.choice()) === null) return;
    dialog.busy('Asking…');
    try {
      const message = await api.platformAction(source, name, id);
      dialog.close();
      showToast({ title: action.label, body: message, tone: 'success', duration: 3000 });
      return;
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error));
      dialog.update({
        title: `${platformName} did not do it`,
        body: [h('p', { class: 'refusal mb-0', text: problem.message })],
        // A refusal (4xx) will not change by asking again; an unreachable API may.
        buttons: problem.status >= 400 && problem.status < 500 ? [] : [{ label: 'Try again', value: true, style: 'danger' }],
      });
    }
  }
}
