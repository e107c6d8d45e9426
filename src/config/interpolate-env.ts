import type { ConfigProblem } from './config-error.js';
import { formatKeyPath } from './key-path.js';

/** Environment variables as read by interpolation (process.env by default). */
export type EnvVars = Readonly<Record<string, string | undefined>>;

/** The outcome of interpolateEnv: the data with references replaced, and what could not be replaced. */
export interface InterpolationResult {
  readonly value: unknown;
  readonly problems: ConfigProblem[];
  /** Key paths left uninterpolated; validation problems inside them are noise and get dropped. */
  readonly failedPaths: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value (not in keys) with the variable's
 * value; the default applies when NAME is unset or empty. `$${` stands for a literal `${`. An unset
 * variable without a default is a problem at that key path; messages name the variable, never a value.
 */
export function interpolateEnv(data: unknown, env: EnvVars): InterpolationResult {
  const problems: ConfigProblem[] = [];
  const failedPaths: string[] = [];
  const visit = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      const result = interpolateString(value, env);
      if (result.problems.length === 0) return result.text;
      const keyPath = formatKeyPath(path);
      failedPaths.push(keyPath);
      for (const message of result.problems) problems.push({ path: keyPath, message });
      return value;
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return value;
  };
  return { value: visit(data, []), problems, failedPaths };
}

function interpolateString(input: string, env: EnvVars): { text: string; problems: string[] } {
  if (!input.includes('${')) return { text: input, problems: [] };
  const problems: string[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!input.startsWith('${', i)) {
      text += input[i];
      i += 1;
      continue;
    }
    const end = input.indexOf('}', i + 2);
    if (end === -1) {
      problems.push('has "${" without a closing "}" (write $${ for a literal "${")');
      break;
    }
    const reference = input.slice(i + 2, end);
    i = end + 1;
    const split = reference.indexOf(':-');
    const name = split === -1 ? reference : reference.slice(0, split);
    if (!NAME.test(name)) {
      // The text between the braces is not echoed: it may be a secret pasted by mistake.
      problems.push('has a ${…} reference that is not a variable name (letters, digits and "_", e.g. ${DIFY_API_KEY})');
      continue;
    }
    const value = env[name];
    if (split !== -1) {
      text += value === undefined || value === '' ? reference.slice(split + 2) : value;
    } else if (value === undefined) {
      problems.push(`environment variable ${name} is not set (set it, or write \${${name}:-default} to give a default)`);
    } else {
      text += value;
    }
  }
  return { text, problems };
}
