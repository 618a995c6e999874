// OpenVidu 2.32's REST API and recording files, over the simulator's own sessions and recordings:
// the routes roomwatch calls, with OpenVidu's shapes (Session.toJson, Participant.toJson,
// Recording.toJson(false)), its Basic auth (user OPENVIDUAPP, password OPENVIDU_SECRET; Spring Security's
// 401), and its bare status codes (404 unknown, 409 wrong state, 501 recording off). No paging: OpenVidu
// 2 returns each list whole. Every recording's file is the same short sample video (./media/sample.mp4),
// served with Range support like Spring's static resources.
import express, { type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeptRecording, OpenViduSessionState, OpenViduSimulator } from './openvidu.js';

const SAMPLE_VIDEO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'media', 'sample.mp4');

export function openviduRestApp(sim: OpenViduSimulator): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(['/openvidu/api', '/openvidu/recordings'], basicAuth(sim));

  const api = express.Router();
  api.get('/sessions', (_req, res) => {
    const content = sim.sessionStates().map(sessionJson);
    json(res, 200, { numberOfElements: content.length, content });
  });
  api.get('/sessions/:sessionId', (req, res) => {
    const state = sim.sessionStates().find(({ session }) => session.sessionId === req.params.sessionId);
    if (state) json(res, 200, sessionJson(state));
    else res.status(404).end();
  });
  api.delete('/sessions/:sessionId', (req, res) => {
    if (!sim.sessionStates().some(({ session }) => session.sessionId === req.params.sessionId)) {
      res.status(404).end();
      return;
    }
    sim.closeSession(req.params.sessionId);
    res.status(204).end();
  });

  // OPENVIDU_RECORDING=false: every recording route answers 501 Not Implemented, with no body.
  api.use('/recordings', (_req, res, next) => {
    if (sim.recordingEnabled) next();
    else res.status(501).end();
  });
  api.get('/recordings', (_req, res) => {
    const items = sim.keptRecordings().map((kept) => recordingJson(sim, kept));
    json(res, 200, { count: items.length, items });
  });
  api.post('/recordings/stop/:recordingId', (req, res) => {
    const kept = sim.keptRecordings().find(({ recording }) => recording.id === req.params.recordingId);
    // Only a recording in progress can be stopped; any other id is unknown to getStartedRecording.
    if (!kept || kept.status !== 'started') {
      res.status(404).end();
      return;
    }
    sim.stopRecording(kept.recording.id);
    json(res, 200, recordingJson(sim, kept));
  });
  api.get('/recordings/:recordingId', (req, res) => {
    const kept = sim.keptRecordings().find(({ recording }) => recording.id === req.params.recordingId);
    if (kept) json(res, 200, recordingJson(sim, kept));
    else res.status(404).end();
  });
  api.delete('/recordings/:recordingId', (req, res) => {
    const kept = sim.keptRecordings().find(({ recording }) => recording.id === req.params.recordingId);
    if (!kept) res.status(404).end();
    else if (kept.status === 'started') res.status(409).end();
    else {
      sim.deleteRecording(kept.recording.id);
      res.status(204).end();
    }
  });
  app.use('/openvidu/api', api);

  // The files: /openvidu/recordings/<id>/<name>.mp4, once ready (a failed one has a URL but no file).
  app.get('/openvidu/recordings/:recordingId/:file', (req, res) => {
    const kept = sim.keptRecordings().find(({ recording }) => recording.id === req.params.recordingId);
    if (!kept || kept.status !== 'ready' || req.params.file !== `${kept.recording.name}.mp4`) {
      res.status(404).end();
      return;
    }
    res.sendFile(SAMPLE_VIDEO, { headers: { 'Content-Type': 'video/mp4' }, acceptRanges: true, lastModified: true });
  });
  return app;
}

/** Spring Security's httpBasic(): OPENVIDUAPP and the secret, or a 401 with its challenge and Boot's error body. */
function basicAuth(sim: OpenViduSimulator) {
  return (req: Request, res: Response, next: NextFunction) => {
    const secret = sim.secret;
    const expected = secret === undefined ? undefined : Buffer.from(`Basic ${Buffer.from(`OPENVIDUAPP:${secret}`).toString('base64')}`);
    const given = Buffer.from(req.get('authorization') ?? '');
    if (expected && given.length === expected.length && timingSafeEqual(given, expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Basic realm="Realm"');
    json(res, 401, { timestamp: new Date().toISOString(), status: 401, error: 'Unauthorized', path: req.originalUrl.split('?')[0] });
  };
}

function json(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}

function sessionJson({ session, connections, recording }: OpenViduSessionState): Record<string, unknown> {
  const content = connections.map(({ participant, publishedAt }) => ({
    id: participant.connectionId,
    object: 'connection',
    status: 'active',
    connectionId: participant.connectionId,
    sessionId: session.sessionId,
    createdAt: participant.joinedAt - 150,
    activeAt: participant.joinedAt,
    location: 'unknown',
    ip: participant.ip,
    platform: participant.platform,
    token: `wss://localhost:4443?sessionId=${session.sessionId}&token=tok_${participant.connectionId.slice(4)}`,
    type: 'WEBRTC',
    record: true,
    role: 'PUBLISHER',
    kurentoOptions: null,
    rtspUri: null,
    adaptativeBitrate: null,
    onlyPlayWithSubscribers: null,
    networkCache: null,
    customIceServers: [],
    serverData: '',
    clientData: JSON.stringify({ clientData: participant.name }),
    publishers: [
      {
        createdAt: publishedAt,
        streamId: `str_CAM_${participant.connectionId.slice(4, 8)}_${participant.connectionId}`,
        mediaOptions: { hasAudio: true, audioActive: true, hasVideo: true, videoActive: true, typeOfVideo: 'CAMERA', frameRate: 30, videoDimensions: '{"width":1280,"height":720}', filter: {} },
      },
    ],
    subscribers: [],
  }));
  return {
    id: session.sessionId,
    object: 'session',
    sessionId: session.sessionId,
    createdAt: session.startTime,
    recording,
    broadcasting: false,
    mediaMode: 'ROUTED',
    recordingMode: 'MANUAL',
    defaultRecordingProperties: { name: '', hasAudio: true, hasVideo: true, outputMode: 'COMPOSED', recordingLayout: 'BEST_FIT', resolution: '1280x720', frameRate: 25, shmSize: 536870912 },
    customSessionId: session.sessionId,
    forcedVideoCodec: 'MEDIA_SERVER_PREFERRED',
    allowTranscoding: false,
    connections: { numberOfElements: content.length, content },
  };
}

function recordingJson(sim: OpenViduSimulator, kept: KeptRecording): Record<string, unknown> {
  const { recording, session, status, size, duration } = kept;
  return {
    id: recording.id,
    object: 'recording',
    name: recording.name,
    outputMode: 'COMPOSED',
    resolution: '1280x720',
    frameRate: 25,
    recordingLayout: 'BEST_FIT',
    sessionId: session.sessionId,
    createdAt: recording.startTime,
    size,
    duration,
    // Set once the file is processed: ready, or failed (RecordingManager.getRecordingFromJson).
    url: status === 'ready' || status === 'failed' ? sim.recordingUrl(kept) : null,
    hasAudio: true,
    hasVideo: true,
    status,
  };
}
