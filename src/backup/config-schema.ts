import { Cron } from 'croner';
import { z } from 'zod';
import { httpUrl, optional, text, trueOrFalse, wholeNumber } from '../config/field-types.js';
import { BACKUP_MODE_FILTERS, DEFAULT_BACKUP_CONCURRENCY } from './backup.js';

const always = { when: () => true };
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envVarName() {
  return text().refine((value) => ENV_NAME.test(value), {
    error: 'must be the NAME of an environment variable (letters, digits, _), not the secret itself',
  });
}

/** A cron expression croner accepts (5 fields, or 6 with seconds), e.g. `0 3 * * *`. */
function cronExpression() {
  return text().refine(
    (value) => {
      try {
        new Cron(value, { paused: true }).stop();
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be a cron expression such as "0 3 * * *" (minute hour day-of-month month day-of-week)' },
  );
}

function timeZone() {
  return text().refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be an IANA time zone such as Asia/Shanghai or UTC' },
  );
}

function modeList() {
  return z
    .union([text(), z.array(text())], { error: 'must be an app mode or a list of them' })
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((m) => m.trim()).filter(Boolean))
    .refine((list) => list.every((m) => (BACKUP_MODE_FILTERS as readonly string[]).includes(m)), {
      error: `must be one or more of ${BACKUP_MODE_FILTERS.join(', ')}`,
    });
}

/**
 * The `backups:` config section: scheduled Dify backups run by `mpgate serve`. Credentials come from
 * environment variables named here (never the secrets themselves): `email` + `passwordEnv`, or
 * `apiKeyEnv` + `workspace` (admin API key).
 */
export const backupsConfigSchema = z
  .strictObject({
    enabled: trueOrFalse().default(true),
    /** When to run, e.g. `0 3 * * *` (03:00 daily). */
    cron: cronExpression(),
    /** Time zone of `cron` (default: the server's). */
    timezone: optional(timeZone()),
    /** Folder that receives one dated archive per run. */
    target: text(),
    /** Complete archives to keep in `target`. */
    keep: wholeNumber(1, 10_000).default(7),
    /** The Dify console, e.g. https://dify.example.com. */
    url: httpUrl('the Dify console, e.g. https://dify.example.com'),
    email: optional(text()),
    passwordEnv: optional(envVarName()),
    apiKeyEnv: optional(envVarName()),
    workspace: optional(text()),
    zip: trueOrFalse().default(false),
    versions: trueOrFalse().default(false),
    annotations: trueOrFalse().default(false),
    includeSecret: trueOrFalse().default(false),
    mode: optional(modeList()),
    concurrency: wholeNumber(1, 64).default(DEFAULT_BACKUP_CONCURRENCY),
  })
  .superRefine((section, ctx) => {
    if (typeof section !== 'object' || section === null) return;
    const hasKey = section.apiKeyEnv !== undefined;
    const hasPassword = section.email !== undefined || section.passwordEnv !== undefined;
    if (hasKey && hasPassword) {
      ctx.addIssue({ code: 'custom', path: ['apiKeyEnv'], message: 'use either email + passwordEnv, or apiKeyEnv + workspace, not both' });
    } else if (hasKey) {
      if (section.workspace === undefined) ctx.addIssue({ code: 'custom', path: ['workspace'], message: 'is required with apiKeyEnv (the workspace id sent as X-WORKSPACE-ID)' });
    } else if (hasPassword) {
      if (section.email === undefined) ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required with passwordEnv' });
      if (section.passwordEnv === undefined) ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: 'is required with email: the name of the environment variable holding the password' });
      if (section.workspace !== undefined) ctx.addIssue({ code: 'custom', path: ['workspace'], message: 'is only used with apiKeyEnv' });
    } else {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'credentials are required: email + passwordEnv, or apiKeyEnv + workspace' });
    }
  }, always);

/** The parsed `backups:` section. */
export type BackupsConfig = z.output<typeof backupsConfigSchema>;
