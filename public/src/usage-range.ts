// The ranges the Usage screen offers (#/usage?range=1h|24h|7d), each with the bucket its charts use.
import type { BucketName } from '../../server/usage/usage-series.js';

export const USAGE_RANGES = {
  '1h': { label: 'Last hour', spanMs: 3_600_000, bucket: '1m', per: 'minute' },
  '24h': { label: 'Last 24 hours', spanMs: 86_400_000, bucket: '15m', per: '15 minutes' },
  '7d': { label: 'Last 7 days', spanMs: 7 * 86_400_000, bucket: '1h', per: 'hour' },
} as const satisfies Record<string, { label: string; spanMs: number; bucket: BucketName; per: string }>;

export type UsageRangeName = keyof typeof USAGE_RANGES;

export const DEFAULT_USAGE_RANGE: UsageRangeName = '24h';

export function usageRangeFrom(value: string | null): UsageRangeName {
  return value !== null && Object.hasOwn(USAGE_RANGES, value) ? (value as UsageRangeName) : DEFAULT_USAGE_RANGE;
}
