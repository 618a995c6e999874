// Deleting a room: confirm, ask roomwatch, and when Meet refuses (409: a meeting is running, or the room
// has recordings) show Meet's reason and the ways out the server offers, each retrying the DELETE.
import { platform } from '../platforms.js';
import type { RoomRow } from '../../../server/domain/rows.js';
import { ApiError, api, type DeleteOption } from '../api.js';
import { h } from '../dom.js';
import type { DashboardState } from '../state.js';
import { openDialog } from './confirm.js';
import { showToast } from './toast.js';

type Choice = Omit<DeleteOption, 'label'>;

export async function deleteRoomFlow(row: RoomRow, state: DashboardState): Promise<void> {
  const dialog = openDialog<Choice>({
    title: 'Delete this room?',
    body: [
      h('p', {}, 'Delete ', h('strong', { class: 'text-break', text: `“${row.roomName}”` }), ` from ${platform(row.source).name}?`),
      h('p', { class: 'text-body-secondary small mb-0', text: 'Its join links stop working. This cannot be undone.' }),
    ],
    buttons: [{ label: 'Delete room', value: {}, style: 'danger' }],
  });

  for (;;) {
    const choice = await dialog.choice();
    if (choice === null) return;
    dialog.busy('Deleting…');
    try {
      const result = await api.deleteRoom(row.roomId, choice);
      dialog.close();
      showToast({ title: result.scheduled ? 'Deletion scheduled' : 'Room deleted', body: result.message, tone: result.scheduled ? 'info' : 'success' });
      // The room's frame will say so too; do not wait for it when Meet says the room is gone.
      if (!result.scheduled && /deleted/.test(result.outcome)) {
        const current = state.rooms.get(`${row.source}:${row.roomId}`);
        if (current) state.applyRoom({ ...current, removed: true }, 'local');
      }
      return;
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error));
      if (problem.status === 409 && problem.options.length > 0) {
        dialog.update({
          title: 'Meet did not delete the room',
          body: [h('p', { class: 'refusal', text: problem.message }), h('p', { class: 'small text-body-secondary mb-0', text: 'Choose what to do instead:' })],
          buttons: problem.options.map((option) => ({
            label: option.label,
            value: pick(option),
            // Ending a meeting now or deleting recordings cannot be undone; waiting or closing can.
            style: option.withMeeting === 'force' || option.withRecordings === 'force' ? 'danger' : 'primary',
          })),
        });
      } else {
        dialog.update({
          title: 'The room was not deleted',
          body: [h('p', { class: 'refusal mb-0', text: problem.message })],
          buttons: problem.status === 409 ? [] : [{ label: 'Try again', value: choice, style: 'danger' }],
        });
      }
    }
  }
}

function pick(option: DeleteOption): Choice {
  const choice: Choice = {};
  if (option.withMeeting !== undefined) choice.withMeeting = option.withMeeting;
  if (option.withRecordings !== undefined) choice.withRecordings = option.withRecordings;
  return choice;
}
