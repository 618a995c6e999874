// Status badges: one colour and one word per status, the same everywhere.
import type { RecordingStatus, RoomStatus } from '../../../server/domain/rows.js';

const ROOM_BADGES: Record<RoomStatus, { text: string; className: string }> = {
  active_meeting: { text: 'ACTIVE', className: 'badge status-badge bg-primary' },
  open: { text: 'OPEN', className: 'badge status-badge bg-success' },
  closed: { text: 'CLOSED', className: 'badge status-badge bg-warning text-dark' },
};

const RECORDING_BADGES: Record<RecordingStatus, { text: string; className: string }> = {
  starting: { text: 'STARTING', className: 'badge status-badge bg-info text-dark in-progress' },
  active: { text: 'ACTIVE', className: 'badge status-badge bg-danger in-progress' },
  ending: { text: 'ENDING', className: 'badge status-badge bg-info text-dark in-progress' },
  processing: { text: 'PROCESSING', className: 'badge status-badge bg-info text-dark in-progress' },
  complete: { text: 'COMPLETE', className: 'badge status-badge bg-success' },
  failed: { text: 'FAILED', className: 'badge status-badge bg-danger' },
  aborted: { text: 'ABORTED', className: 'badge status-badge bg-secondary' },
  limit_reached: { text: 'LIMIT REACHED', className: 'badge status-badge bg-warning text-dark' },
};

export function paintRoomBadge(badge: HTMLElement, status: RoomStatus): void {
  const look = ROOM_BADGES[status] ?? ROOM_BADGES.closed;
  if (badge.className !== look.className) badge.className = look.className;
  if (badge.textContent !== look.text) badge.textContent = look.text;
  badge.dataset.status = status;
}

export function paintRecordingBadge(badge: HTMLElement, status: RecordingStatus): void {
  const look = RECORDING_BADGES[status] ?? RECORDING_BADGES.failed;
  if (badge.className !== look.className) badge.className = look.className;
  if (badge.textContent !== look.text) badge.textContent = look.text;
  badge.dataset.status = status;
}
