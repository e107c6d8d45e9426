import type { ArmedRule } from './state.js';
import type { ScriptContext, ScriptFailure, ScriptFile, ScriptMatch, ScriptRule, ScriptThought } from './types.js';

/** Turns the scripted rules of an app and a request into the plan of one answer. */

/** Everything a generation run needs to know about the answer to produce. */
export interface AnswerPlan {
  /** The full answer text (a `<think>` block included). */
  text: string;
  /** The deltas, in order; their concatenation is `text`. */
  chunks: string[];
  files: ScriptFile[];
  thoughts: ScriptThought[];
  replace: string | undefined;
  outputs: Record<string, unknown> | undefined;
  latencyMs: number;
  chunkDelayMs: number;
  fail: ScriptFailure | undefined;
  failAfterChunks: number;
  error: { code: string; message: string; status: number };
  promptTokens: number;
  completionTokens: number;
}

/** Defaults from the simulator options. */
export interface PlanDefaults {
  latencyMs: number;
  chunkDelayMs: number;
  chunkSize: number;
}

/** Whether `match` selects `query`: a substring, a RegExp, or a RegExp given as JSON. */
export function ruleMatches(match: ScriptMatch | undefined, query: string): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return query.includes(match);
  if (match instanceof RegExp) {
    match.lastIndex = 0;
    return match.test(query);
  }
  return new RegExp(match.regex, match.flags ?? '').test(query);
}

/** Splits text into deltas of `size` code points (never inside a surrogate pair). */
export function chunkText(text: string, size: number): string[] {
  const points = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < points.length; i += step) out.push(points.slice(i, i + step).join(''));
  return out;
}

/** A rough token count (Dify reports real ones; here: about 4 characters per token, at least 1). */
function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(Array.from(text).length / 4));
}

/**
 * The plan for a request: the first armed rule that matches answers (and loses a use); otherwise `echo` is the
 * answer. Consumed rules with no uses left are removed from `rules`.
 */
export function planAnswer(rules: ArmedRule[], ctx: ScriptContext, echo: string, defaults: PlanDefaults): AnswerPlan {
  const index = rules.findIndex((r) => ruleMatches(r.rule.match, ctx.query));
  const armed = index >= 0 ? rules[index] : undefined;
  const rule: ScriptRule = armed?.rule ?? {};
  if (armed && armed.remaining !== undefined) {
    armed.remaining -= 1;
    if (armed.remaining <= 0) rules.splice(index, 1);
  }
  let body = typeof rule.answer === 'function' ? rule.answer(ctx) : (rule.answer ?? echo);
  if (rule.chunks) body = rule.chunks.join('');
  const think = rule.think !== undefined ? `<think>\n${rule.think}\n</think>\n\n` : '';
  const text = think + body;
  const chunks = rule.chunks ? [...(think ? [think] : []), ...rule.chunks] : chunkText(text, rule.chunkSize ?? defaults.chunkSize);
  return {
    text,
    chunks: chunks.length > 0 ? chunks : [''],
    files: rule.files ?? [],
    thoughts: rule.thoughts ?? [],
    replace: rule.replace,
    outputs: rule.outputs,
    latencyMs: rule.latencyMs ?? defaults.latencyMs,
    chunkDelayMs: rule.chunkDelayMs ?? defaults.chunkDelayMs,
    fail: rule.fail,
    failAfterChunks: rule.failAfterChunks ?? 1,
    error: {
      code: rule.error?.code ?? (rule.fail === 'provider-quota' ? 'provider_quota_exceeded' : 'completion_request_error'),
      message:
        rule.error?.message ??
        (rule.fail === 'provider-quota'
          ? 'Your quota for Dify Hosted OpenAI has been exhausted. Please go to Settings -> Model Provider to complete your own provider credentials.'
          : rule.fail === 'workflow-failed'
            ? '[openai] Error: Simulated LLM node failure'
            : 'Completion request failed.'),
      status: rule.error?.status ?? 400,
    },
    promptTokens: rule.usage?.promptTokens ?? roughTokens(ctx.query) + 20,
    completionTokens: rule.usage?.completionTokens ?? roughTokens(text),
  };
}

/** Dify's `metadata.usage`, prices as decimal strings. */
export function usageOf(plan: AnswerPlan, latencySeconds: number): Record<string, unknown> {
  const promptPrice = (plan.promptTokens * 0.001) / 1000;
  const completionPrice = (plan.completionTokens * 0.002) / 1000;
  return {
    prompt_tokens: plan.promptTokens,
    prompt_unit_price: '0.001',
    prompt_price_unit: '0.001',
    prompt_price: promptPrice.toFixed(7),
    completion_tokens: plan.completionTokens,
    completion_unit_price: '0.002',
    completion_price_unit: '0.001',
    completion_price: completionPrice.toFixed(7),
    total_tokens: plan.promptTokens + plan.completionTokens,
    total_price: (promptPrice + completionPrice).toFixed(7),
    currency: 'USD',
    latency: latencySeconds,
  };
}
