// The clickable side of the simulator, under `<basePath>`: the meeting page behind moderator/speaker links,
// recording playback, a room's recordings (3.8 link) and a home page. Data reaches the browser as JSON in a
// <script type="application/json"> and is rendered with textContent only; a CSP nonce allows nothing else.
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { Router } from 'express';
import type { SimContext } from './context.js';
import { wireContext } from './context.js';
import { sanitizeRoomId } from './ids.js';
import type { ParticipantRole, RoomRecord } from './model.js';
import { isTerminal } from './model.js';
import {
  INDEX_PAGE_SCRIPT,
  MEETING_PAGE_SCRIPT,
  RECORDING_PAGE_SCRIPT,
  ROOM_RECORDINGS_PAGE_SCRIPT,
} from './page-scripts.js';
import { queryString } from './query.js';
import { recordingPlaybackUrl } from './shapes.js';

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #1f2430; color: #eef1f6; }
  main { max-width: 40rem; margin: 0 auto; padding: 1.5rem; }
  .brand { color: #9aa4b5; margin: 0 0 .5rem; } h1 { margin: 0 0 .5rem; word-break: break-word; }
  .pill { display: inline-block; padding: 0 .6rem; border-radius: 1rem; background: #3a4254; font-size: .85rem; }
  .rec { background: #c0392b; } button { font: inherit; padding: .45rem .9rem; margin: .25rem .25rem 0 0;
  border: 0; border-radius: .4rem; background: #3d6df2; color: #fff; cursor: pointer; }
  #leave-btn, #end-btn { background: #c0392b; } button:disabled { opacity: .5; }
  video { width: 100%; background: #000; margin: 1rem 0; } a { color: #8fb3ff; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #3a4254; }
`;

interface PageSpec {
  title: string;
  body: string;
  data: object;
  script: string;
}

function sendPage(res: Response, page: PageSpec): void {
  const nonce = randomBytes(16).toString('base64');
  // `<` is escaped so no value can close the data <script> element.
  const data = JSON.stringify(page.data).replace(/</g, '\\u003c');
  res
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; frame-ancestors *`,
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${page.title}</title><style>${STYLE}</style></head><body><main><p class="brand">OpenVidu Meet · simulator</p>` +
        `${page.body}</main><script id="sim-data" type="application/json">${data}</script>` +
        `<script nonce="${nonce}">${page.script}</script></body></html>`,
    );
}

function sendError(res: Response, status: number, message: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OpenVidu Meet</title><style>${STYLE}</style></head>` +
        `<body><main><p class="brand">OpenVidu Meet · simulator</p><h1>${message}</h1></main></body></html>`,
    );
}

const MEETING_BODY = `
  <h1 id="room-name"></h1>
  <p><span id="role" class="pill"></span> <span id="rec-badge" class="pill rec" hidden></span></p>
  <section id="in-meeting" hidden>
    <h2>Participants</h2><ul id="participants"></ul>
    <div>
      <button id="leave-btn" type="button">Leave</button>
      <button id="end-btn" type="button" hidden>End meeting</button>
      <button id="rec-start-btn" type="button" hidden>Start recording</button>
      <button id="rec-stop-btn" type="button" hidden>Stop recording</button>
    </div>
    <p id="status-line" role="status"></p>
  </section>
  <section id="outside" hidden><p id="outside-text"></p><button id="back-btn" type="button">Back</button></section>`;

const RECORDING_BODY = `
  <h1 id="room-name"></h1>
  <p>Status: <span id="recording-status"></span> · Started: <span id="recording-start"></span> ·
     Duration: <span id="recording-duration"></span></p>
  <video id="player" controls preload="metadata"></video>
  <p><button id="back-btn" type="button">Back</button></p>`;

const ROOM_RECORDINGS_BODY = `
  <h1 id="room-name"></h1><h2>Recordings</h2><ul id="recordings"></ul><p id="empty" hidden>No recordings yet.</p>
  <p><button id="back-btn" type="button">Back</button></p>`;

const INDEX_BODY = `
  <h1>Rooms</h1>
  <p>REST API: <code id="api-url"></code><br>Web component: <code id="wc-url"></code></p>
  <table><thead><tr><th>Name</th><th>Id</th><th>Status</th><th>People</th><th>Recordings</th><th>Join</th></tr></thead>
  <tbody id="rooms"></tbody></table>`;

/** Which role a room secret grants (§4.5 "Joining"), if any. */
function roleForSecret(room: RoomRecord, secret: string | undefined): ParticipantRole | undefined {
  if (secret === room.secrets.moderator && room.access.moderator) return 'moderator';
  if (secret === room.secrets.speaker && room.access.speaker) return 'speaker';
  return undefined;
}

export function pageRoutes(ctx: SimContext, urls: () => { apiUrl: string; webComponentUrl: string }): Router {
  const pages = Router();

  pages.get('/', (_req, res) => {
    sendPage(res, { title: 'OpenVidu Meet simulator', body: INDEX_BODY, data: urls(), script: INDEX_PAGE_SCRIPT });
  });

  pages.get('/room/:roomId', (req, res) => {
    const room = ctx.state.findRoom(sanitizeRoomId(String(req.params.roomId)));
    if (!room) return sendError(res, 404, 'This room does not exist.');
    const secret = queryString(req, 'secret');
    if (secret === undefined) return sendError(res, 401, 'This link needs a secret (registered-user access is not simulated).');
    const role = roleForSecret(room, secret);
    if (!role) return sendError(res, 403, 'This access link is not valid.');
    sendPage(res, {
      title: 'OpenVidu Meet (simulated)',
      body: MEETING_BODY,
      data: {
        roomId: room.roomId,
        roomName: room.roomName,
        role,
        participantName: queryString(req, 'participant-name') ?? (role === 'moderator' ? 'Moderator' : 'Speaker'),
        leaveRedirectUrl: queryString(req, 'leave-redirect-url') ?? null,
        controlBase: '/_sim',
      },
      script: MEETING_PAGE_SCRIPT,
    });
  });

  pages.get('/room/:roomId/recordings', (req, res) => {
    const room = ctx.state.findRoom(sanitizeRoomId(String(req.params.roomId)));
    if (!room) return sendError(res, 404, 'This room does not exist.');
    if (queryString(req, 'secret') !== room.secrets.recording || !room.access.recording) {
      return sendError(res, 403, 'This access link is not valid.');
    }
    const recordings = ctx.state
      .recordingsOf(room.roomId)
      .map((recording) => ({
        recordingId: recording.recordingId,
        status: recording.status,
        startDate: recording.startDate ?? null,
        url: recordingPlaybackUrl(recording, wireContext(ctx)),
      }));
    sendPage(res, {
      title: 'Recordings · OpenVidu Meet (simulated)',
      body: ROOM_RECORDINGS_BODY,
      data: { roomId: room.roomId, roomName: room.roomName, recordings },
      script: ROOM_RECORDINGS_PAGE_SCRIPT,
    });
  });

  pages.get('/recording/:recordingId', (req, res) => {
    const recording = ctx.state.findRecording(String(req.params.recordingId));
    if (!recording) return sendError(res, 404, 'This recording does not exist.');
    const secret = queryString(req, 'secret');
    if (secret !== recording.secrets.public && secret !== recording.secrets.private) {
      return sendError(res, 403, 'This recording link is not valid.');
    }
    const mediaPath = `${ctx.basePath}/api/v1/recordings/${encodeURIComponent(recording.recordingId)}/media`;
    sendPage(res, {
      title: 'Recording · OpenVidu Meet (simulated)',
      body: RECORDING_BODY,
      data: {
        roomId: recording.roomId,
        roomName: ctx.state.findRoom(recording.roomId)?.roomName ?? recording.roomId,
        status: recording.status,
        startDate: recording.startDate ?? null,
        duration: recording.duration ?? null,
        mediaUrl: isTerminal(recording.status) ? `${mediaPath}?secret=${encodeURIComponent(secret ?? '')}` : null,
      },
      script: RECORDING_PAGE_SCRIPT,
    });
  });

  return pages;
}
