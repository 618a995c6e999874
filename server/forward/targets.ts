// FORWARD_TO: the apps every verified webhook is relayed to. Either URLs separated by commas (each gets
// every platform's webhooks), or a JSON array of {url, sources?, events?}. Pure: text in, targets out, and
// one sentence naming the problem when the text is not a list of targets.
import { SOURCE_IDS, type SourceId } from '../platforms/catalog.js';

export interface ForwardTarget {
  /** Where deliveries are POSTed; also the target's identity in the store (its cursor is kept by URL). */
  url: string;
  /** Only webhooks of these platforms; undefined: all. */
  sources: readonly SourceId[] | undefined;
  /** Only these event types (the platform's own names, e.g. recordingEnded); undefined: all. */
  events: readonly string[] | undefined;
}

/** What a target may be asked about a stored webhook. */
export interface ForwardCandidate {
  source: string;
  type: string;
}

/** A value FORWARD_TO cannot mean: the message completes "FORWARD_TO …". */
export class ForwardTargetError extends Error {}

const TARGET_KEYS = new Set(['url', 'sources', 'events']);

/** Reads FORWARD_TO; throws ForwardTargetError with the reason. An empty value means no forwarding. */
export function parseForwardTargets(text: string): ForwardTarget[] {
  const value = text.trim();
  if (value === '') return [];
  const targets = value.startsWith('[') ? fromJson(value) : value.split(',').map((url, i) => ({ url: checkUrl(url.trim(), i), sources: undefined, events: undefined }));
  const seen = new Set<string>();
  targets.forEach((target, i) => {
    if (seen.has(target.url)) throw new ForwardTargetError(`target ${i + 1} repeats the URL of an earlier one; give each URL once (with its sources and events)`);
    seen.add(target.url);
  });
  return targets;
}

function fromJson(value: string): ForwardTarget[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ForwardTargetError('is not valid JSON; write URLs separated by commas, or a JSON array such as [{"url":"http://localhost:5000/webhook","sources":["meet"]}]');
  }
  if (!Array.isArray(parsed)) throw new ForwardTargetError('must be a JSON array of targets');
  return parsed.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ForwardTargetError(`target ${i + 1} must be an object with a "url"`);
    const unknownKey = Object.keys(item).find((key) => !TARGET_KEYS.has(key));
    if (unknownKey !== undefined) throw new ForwardTargetError(`target ${i + 1} has an unknown key "${unknownKey}"; a target has url, sources and events`);
    const { url, sources, events } = item as Record<string, unknown>;
    if (typeof url !== 'string') throw new ForwardTargetError(`target ${i + 1} must have a "url" string`);
    return { url: checkUrl(url.trim(), i), sources: sourceList(sources, i), events: eventList(events, i) };
  });
}

function checkUrl(url: string, i: number): string {
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) throw new ForwardTargetError(`target ${i + 1} must be an http:// or https:// URL`);
  return url;
}

function sourceList(value: unknown, i: number): SourceId[] | undefined {
  if (value === undefined) return undefined;
  const known = SOURCE_IDS as readonly string[];
  if (!Array.isArray(value) || value.length === 0 || !value.every((id) => typeof id === 'string' && known.includes(id))) {
    throw new ForwardTargetError(`target ${i + 1} "sources" must be a non-empty array of platform ids among ${SOURCE_IDS.join(', ')}`);
  }
  return value as SourceId[];
}

function eventList(value: unknown, i: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((type) => typeof type === 'string' && type.trim() !== '')) {
    throw new ForwardTargetError(`target ${i + 1} "events" must be a non-empty array of event names, e.g. ["recordingEnded"]`);
  }
  return value as string[];
}

/** Whether a stored webhook goes to this target. */
export function targetWants(target: Pick<ForwardTarget, 'sources' | 'events'>, webhook: ForwardCandidate): boolean {
  return (target.sources === undefined || (target.sources as readonly string[]).includes(webhook.source)) && (target.events === undefined || target.events.includes(webhook.type));
}

/**
 * The URL as the dashboard, the log and /metrics show it: no user name or password, no query (either may
 * carry a token that the app behind roomwatch checks).
 */
export function targetLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
}
