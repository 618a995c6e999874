// How a setting is declared: its environment variable, the schema that checks and converts its text,
// its default, whether its value is a secret (never echoed in an error), and one line of documentation.
// config.ts declares roomwatch's own settings this way, and every platform its own (platforms/*/settings.ts);
// config.ts is the only one that reads them from the environment.
import { z } from 'zod';

/** A bad setting: start-up stops with this one line, which names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface SettingSpec<T = unknown> {
  schema: z.ZodType<T, string>;
  /** The text used when the variable is unset or empty; undefined = the setting is off. */
  default: string | undefined;
  secret?: boolean;
  /** One line: what it is, for people reading the code and the settings table. */
  doc: string;
}

export type SettingTable = Record<string, SettingSpec>;

/** The values of a table, each converted by its schema, or undefined when unset without a default. */
export type SettingValues<T extends SettingTable> = { [K in keyof T]: T[K] extends SettingSpec<infer V> ? V | undefined : never };

export const setting = <T>(spec: SettingSpec<T>): SettingSpec<T> => spec;

/** Reads one table from the environment; throws ConfigError naming the first bad variable. */
export function readSettings<T extends SettingTable>(table: T, env: NodeJS.ProcessEnv): SettingValues<T> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const raw = env[name] === undefined || env[name] === '' ? spec.default : env[name];
    if (raw === undefined) continue;
    const result = spec.schema.safeParse(raw);
    if (!result.success) {
      const shown = spec.secret ? '' : ` (got "${raw}")`;
      throw new ConfigError(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}${shown}`);
    }
    values[name] = result.data;
  }
  return values as SettingValues<T>;
}

/** Two settings that only mean something together; undefined when both are unset. */
export function bothOrNeither<A, B>(names: [string, string], a: A | undefined, b: B | undefined): [A, B] | undefined {
  if ((a === undefined) !== (b === undefined)) throw new ConfigError(`${names[0]} and ${names[1]} go together: set both, or neither`);
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

// ── Schemas several settings share ──────────────────────────────────────────────────────────────

export const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }));

export const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value), {
    message: 'must be an http:// or https:// URL',
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** One key, or several separated by commas (a rotation: the current one first). */
export const keyList = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()))
  .refine((keys) => keys.every((key) => key.length > 0), {
    message: 'must be one key, or several separated by commas, none of them empty',
  });

export const nonEmpty = z.string().min(1);
