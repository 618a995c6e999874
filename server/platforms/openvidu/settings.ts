// OpenVidu 2.x signs nothing: it sends the static headers of its OPENVIDU_WEBHOOK_HEADERS with every
// POST (../shared/protocols/providers.md §1.1, §1.8), and roomwatch requires the very same list. Its REST
// API (OPENVIDU_URL, Basic OPENVIDUAPP:OPENVIDU_SECRET, as OpenVidu's own variables) is optional.
import { z } from 'zod';
import { bothOrNeither, ConfigError, httpUrl, nonEmpty, setting } from '../../settings.js';
import { platformSettings } from '../types.js';

export interface OpenViduSettings {
  /**
   * [name, value] pairs, as in OpenVidu's OPENVIDU_WEBHOOK_HEADERS; empty accepts any POST. Values are
   * trimmed: Node trims the values it receives, so `"X-Token: abc "` arrives as `abc`.
   */
  headers: [name: string, value: string][];
  /** Its REST API, when OPENVIDU_URL and OPENVIDU_SECRET are set: rooms and recordings healed, actions. */
  api?: OpenViduApiSettings;
}

export interface OpenViduApiSettings {
  /** OpenVidu's own OPENVIDU_URL-style base, e.g. https://openvidu.example.com (no trailing slash). */
  url: string;
  /** OPENVIDU_SECRET: the password of the user OPENVIDUAPP. */
  secret: string;
}

const HEADER_LIST = 'must be a JSON array of "Name: value" strings, as in OpenVidu\'s own OPENVIDU_WEBHOOK_HEADERS ([] for none)';

/** OpenVidu splits each entry at its first ": " and needs both parts non-empty (OpenviduConfig.checkWebhookHeaders). */
const headerList = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array such as ["Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU"]' });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string().regex(/^[^:\s][^:]*: .*\S.*$/, { message: HEADER_LIST }), { message: HEADER_LIST }))
  .transform((lines) => lines.map((line): [string, string] => [line.slice(0, line.indexOf(': ')).trim(), line.slice(line.indexOf(': ') + 2).trim()]));

export const openviduSettings = platformSettings({
  variables: {
    OPENVIDU_WEBHOOK_HEADERS: setting({
      schema: headerList,
      default: undefined,
      secret: true,
      doc: 'OpenVidu 2.x: JSON array of "Name: value" headers to require',
    }),
    OPENVIDU_URL: setting({ schema: httpUrl, default: undefined, doc: 'OpenVidu 2.x: where its REST API is, e.g. https://openvidu.example.com' }),
    OPENVIDU_SECRET: setting({ schema: nonEmpty, default: undefined, secret: true, doc: 'OpenVidu 2.x: its OPENVIDU_SECRET (REST calls as OPENVIDUAPP)' }),
  },
  enabledBy: 'OPENVIDU_WEBHOOK_HEADERS',
  read: (values): OpenViduSettings | undefined => {
    const api = bothOrNeither(['OPENVIDU_URL', 'OPENVIDU_SECRET'], values.OPENVIDU_URL, values.OPENVIDU_SECRET);
    if (!values.OPENVIDU_WEBHOOK_HEADERS) {
      if (api) {
        throw new ConfigError(
          'OPENVIDU_URL and OPENVIDU_SECRET need OPENVIDU_WEBHOOK_HEADERS too: set it to the list OpenVidu sends (its own OPENVIDU_WEBHOOK_HEADERS), or [] to accept unauthenticated posts',
        );
      }
      return undefined;
    }
    return { headers: values.OPENVIDU_WEBHOOK_HEADERS, ...(api && { api: { url: api[0], secret: api[1] } }) };
  },
});
