import { pythonRepr, pythonTypeName } from './python-json.js';

/**
 * Dify validates request payloads with pydantic and turns the ValidationError into 400 invalid_param with
 * `str(error)` as the message — a multi-line text (reference §9 rule 3). This renders that text.
 */

/** One pydantic error line. `loc` undefined = a model-level validator error. */
export interface PydanticIssue {
  readonly loc?: string;
  readonly msg: string;
  readonly type: string;
  readonly input: unknown;
}

const PYDANTIC_DOCS_VERSION = '2.11';

function inputRepr(input: unknown): string {
  const repr = pythonRepr(input);
  // pydantic-core shortens long reprs in the middle.
  return repr.length > 50 ? `${repr.slice(0, 25)}...${repr.slice(-24)}` : repr;
}

/** `str(ValidationError)` for `model` with `issues`. */
export function pydanticMessage(model: string, issues: readonly PydanticIssue[]): string {
  const head = `${issues.length} validation error${issues.length === 1 ? '' : 's'} for ${model}`;
  const lines = [head];
  for (const issue of issues) {
    if (issue.loc !== undefined) lines.push(issue.loc);
    lines.push(`  ${issue.msg} [type=${issue.type}, input_value=${inputRepr(issue.input)}, input_type=${pythonTypeName(issue.input)}]`);
    lines.push(`    For further information visit https://errors.pydantic.dev/${PYDANTIC_DOCS_VERSION}/v/${issue.type}`);
  }
  return lines.join('\n');
}

/** Collects issues while checking a JSON payload field by field. */
export class PayloadChecker {
  readonly issues: PydanticIssue[] = [];
  constructor(
    readonly model: string,
    readonly body: Record<string, unknown>,
  ) {}

  /** A required field that is absent. */
  missing(field: string): void {
    this.issues.push({ loc: field, msg: 'Field required', type: 'missing', input: this.body });
  }

  /** Records an issue for `field` with its current value. */
  add(field: string, msg: string, type: string): void {
    this.issues.push({ loc: field, msg, type, input: this.body[field] });
  }

  /** Reads a required or optional string field (null allowed when `nullable`). */
  string(field: string, opts: { required?: boolean; nullable?: boolean } = {}): string | undefined {
    if (!(field in this.body)) {
      if (opts.required) this.missing(field);
      return undefined;
    }
    const v = this.body[field];
    if (v === null && opts.nullable) return undefined;
    if (typeof v !== 'string') {
      this.add(field, 'Input should be a valid string', 'string_type');
      return undefined;
    }
    return v;
  }

  /** Reads a boolean field with pydantic's lax coercion ("true", 1, …). */
  boolean(field: string, fallback: boolean): boolean {
    if (!(field in this.body) || this.body[field] === null) return fallback;
    const v = this.body[field];
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    if (typeof v === 'string' && /^(true|false|1|0|yes|no|on|off|t|f|y|n)$/i.test(v)) return /^(true|1|yes|on|t|y)$/i.test(v);
    this.add(field, 'Input should be a valid boolean', 'bool_type');
    return fallback;
  }

  /** A required dict field (`inputs`). */
  dict(field: string, opts: { required: boolean }): Record<string, unknown> | undefined {
    if (!(field in this.body)) {
      if (opts.required) this.missing(field);
      return undefined;
    }
    const v = this.body[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.add(field, 'Input should be a valid dictionary', 'dict_type');
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  /** Throws-free result: the message when anything failed. */
  errorMessage(): string | undefined {
    return this.issues.length === 0 ? undefined : pydanticMessage(this.model, this.issues);
  }
}
