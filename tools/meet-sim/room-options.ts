// POST /rooms bodies, per version, into the room the simulator stores: defaults, name rules and the
// config shape of 3.4 (§2.3.1, §2.5) or 3.8 (§2.8) of ../../../shared/protocols/openvidu-meet.md.
import { z } from 'zod';
import type { AccessSwitches, AutoDeletionPolicy, Json, JsonObject, MeetVersion } from './model.js';
import { unprocessable } from './errors.js';
import { parseOr422 } from './validation.js';
import { versionProfile } from './versions.js';

export interface NewRoom {
  roomName: string;
  autoDeletionDate?: number;
  autoDeletionPolicy?: AutoDeletionPolicy;
  config: JsonObject;
  roles?: JsonObject;
  access: AccessSwitches;
}

const ONE_HOUR_MS = 60 * 60 * 1000;
const DEFAULT_AUTO_DELETION_POLICY: AutoDeletionPolicy = { withMeeting: 'when_meeting_ends', withRecordings: 'close' };

const switchSchema = z.object({ enabled: z.boolean() });

// §2.7: `fail` is a deletion policy, but not an auto-deletion one.
const autoDeletionPolicySchema = z.object({
  withMeeting: z.enum(['force', 'when_meeting_ends']),
  withRecordings: z.enum(['force', 'close']),
});

function commonFields(now: () => number) {
  return {
    roomName: z.string().max(50, 'roomName cannot exceed 50 characters').optional(),
    autoDeletionDate: z
      .number()
      .positive('autoDeletionDate must be a positive integer')
      .refine((date) => date >= now() + ONE_HOUR_MS, 'autoDeletionDate must be at least 1h in the future')
      .optional(),
    autoDeletionPolicy: autoDeletionPolicySchema.optional(),
  };
}

// ── 3.4: complete config only (§2.5) ────────────────────────────────────────────────────────────

const config34Schema = z.object({
  recording: z
    .object({
      enabled: z.boolean(),
      allowAccessTo: z.enum(['admin', 'admin_moderator', 'admin_moderator_speaker']).optional(),
    })
    .refine((recording) => !recording.enabled || recording.allowAccessTo !== undefined, {
      message: 'allowAccessTo is required when recording is enabled',
      path: ['allowAccessTo'],
    }),
  chat: switchSchema,
  virtualBackground: switchSchema,
});

function defaultConfig34(): JsonObject {
  return {
    recording: { enabled: true, allowAccessTo: 'admin_moderator_speaker' },
    chat: { enabled: true },
    virtualBackground: { enabled: true },
  };
}

function completeConfig34(requested: z.output<typeof config34Schema>): JsonObject {
  const recording: JsonObject = { enabled: requested.recording.enabled };
  if (requested.recording.allowAccessTo !== undefined) recording.allowAccessTo = requested.recording.allowAccessTo;
  return {
    recording,
    chat: { enabled: requested.chat.enabled },
    virtualBackground: { enabled: requested.virtualBackground.enabled },
  };
}

function roomOptions34(body: unknown, now: () => number): NewRoom {
  const input = parseOr422(z.object({ ...commonFields(now), config: config34Schema.optional() }), body ?? {});
  const config = input.config ? completeConfig34(input.config) : defaultConfig34();
  return {
    roomName: versionProfile('3.4').normaliseRoomName(input.roomName ?? 'Room'),
    autoDeletionDate: input.autoDeletionDate,
    // §2.3.1: always present at 3.4, the validator applies the default.
    autoDeletionPolicy: input.autoDeletionPolicy ?? DEFAULT_AUTO_DELETION_POLICY,
    config,
    access: { moderator: true, speaker: true, recording: true, user: false },
  };
}

// ── 3.8: partial config, roles and access (§2.8) ────────────────────────────────────────────────

const MODERATOR_PERMISSIONS: Record<string, boolean> = {
  canRecord: true,
  canRetrieveRecordings: true,
  canDeleteRecordings: true,
  canJoinMeeting: true,
  canShareAccessLinks: true,
  canMakeModerator: true,
  canKickParticipants: true,
  canEndMeeting: true,
  canPublishVideo: true,
  canPublishAudio: true,
  canShareScreen: true,
  canReadChat: true,
  canWriteChat: true,
  canChangeVirtualBackground: true,
};

const SPEAKER_PERMISSIONS: Record<string, boolean> = {
  ...MODERATOR_PERMISSIONS,
  canRecord: false,
  canDeleteRecordings: false,
  canShareAccessLinks: false,
  canMakeModerator: false,
  canKickParticipants: false,
  canEndMeeting: false,
};

const permissionsSchema = z.object({ permissions: z.record(z.string(), z.boolean()) });

const config38Schema = z.object({
  chat: switchSchema.optional(),
  recording: z
    .object({
      enabled: z.boolean(),
      layout: z.enum(['grid', 'speaker', 'single-speaker']).optional(),
      encoding: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    })
    .optional(),
  virtualBackground: switchSchema.optional(),
  e2ee: switchSchema.optional(),
  captions: switchSchema.optional(),
});

const access38Schema = z.object({
  anonymous: z
    .object({ moderator: switchSchema.optional(), speaker: switchSchema.optional(), recording: switchSchema.optional() })
    .optional(),
  user: switchSchema.optional(),
});

function mergedPermissions(defaults: Record<string, boolean>, requested: Record<string, boolean> | undefined): JsonObject {
  const merged: JsonObject = {};
  for (const [key, value] of Object.entries(defaults)) merged[key] = requested?.[key] ?? value;
  return merged;
}

/**
 * Fields 3.8 removed from the create-room body (§2.8, §4.8). Meet's own validator drops them silently
 * (zod strips unknown keys); with `refuseRemovedFields` the simulator refuses them, so that a client still
 * sending them is caught by its tests.
 */
function refuseRemovedFields38(body: unknown): void {
  const recording = (body as { config?: { recording?: Record<string, unknown> } } | undefined)?.config?.recording;
  if (recording && typeof recording === 'object' && 'allowAccessTo' in recording) {
    throw unprocessable([{ field: 'config.recording.allowAccessTo', message: 'allowAccessTo no longer exists from 3.8 (room access is set with access and roles)' }]);
  }
}

function roomOptions38(body: unknown, now: () => number, refuseRemovedFields: boolean): NewRoom {
  if (refuseRemovedFields) refuseRemovedFields38(body);
  const input = parseOr422(
    z.object({
      ...commonFields(now),
      config: config38Schema.optional(),
      roles: z.object({ moderator: permissionsSchema.optional(), speaker: permissionsSchema.optional() }).optional(),
      access: access38Schema.optional(),
    }),
    body ?? {},
  );
  const requested = input.config ?? {};
  const e2ee = requested.e2ee?.enabled ?? false;
  const recording = requested.recording;
  const config: JsonObject = {
    chat: { enabled: requested.chat?.enabled ?? true },
    recording: {
      // E2EE rooms cannot be recorded: Meet switches recording off.
      enabled: (recording?.enabled ?? true) && !e2ee,
      layout: recording?.layout ?? 'grid',
      encoding: (recording?.encoding as Json | undefined) ?? 'H264_720P_30',
    },
    virtualBackground: { enabled: requested.virtualBackground?.enabled ?? true },
    e2ee: { enabled: e2ee },
    captions: { enabled: requested.captions?.enabled ?? true },
  };
  return {
    roomName: versionProfile('3.8').normaliseRoomName(input.roomName ?? 'Room'),
    autoDeletionDate: input.autoDeletionDate,
    // §2.8: stored only when autoDeletionDate is set.
    autoDeletionPolicy:
      input.autoDeletionDate === undefined ? undefined : (input.autoDeletionPolicy ?? DEFAULT_AUTO_DELETION_POLICY),
    config,
    roles: {
      moderator: { permissions: mergedPermissions(MODERATOR_PERMISSIONS, input.roles?.moderator?.permissions) },
      speaker: { permissions: mergedPermissions(SPEAKER_PERMISSIONS, input.roles?.speaker?.permissions) },
    },
    access: {
      moderator: input.access?.anonymous?.moderator?.enabled ?? true,
      speaker: input.access?.anonymous?.speaker?.enabled ?? true,
      recording: input.access?.anonymous?.recording?.enabled ?? true,
      user: input.access?.user?.enabled ?? false,
    },
  };
}

/** Validates a create-room body for `version`; throws a 422 MeetError on a bad one. */
export function parseRoomOptions(version: MeetVersion, body: unknown, now: () => number, { refuseRemovedFields = false } = {}): NewRoom {
  return version === '3.4' ? roomOptions34(body, now) : roomOptions38(body, now, refuseRemovedFields);
}
