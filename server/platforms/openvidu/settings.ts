// OpenVidu 2.x signs nothing: it sends the static headers of its OPENVIDU_WEBHOOK_HEADERS with every
// POST (../shared/protocols/providers.md §1.1, §1.8), and roomwatch requires the very same list.
import { z } from 'zod';
import { setting } from '../../settings.js';
import { platformSettings } from '../types.js';

export interface OpenViduSettings {
  /**
   * [name, value] pairs, as in OpenVidu's OPENVIDU_WEBHOOK_HEADERS; empty accepts any POST. Values are
   * trimmed: Node trims the values it receives, so `"X-Token: abc "` arrives as `abc`.
   */
  headers: [name: string, value: string][];
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
  },
  enabledBy: 'OPENVIDU_WEBHOOK_HEADERS',
  read: (values): OpenViduSettings | undefined => (values.OPENVIDU_WEBHOOK_HEADERS ? { headers: values.OPENVIDU_WEBHOOK_HEADERS } : undefined),
});
