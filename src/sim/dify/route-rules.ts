/**
 * The simulator's routes in Flask rule syntax. flask-restx builds its 404 "did you mean" help from the URL map, and
 * Flask answers 405 (not 404) when a path exists with other methods; both need the list.
 */
export const ROUTE_RULES: ReadonlyArray<{ rule: string; methods: readonly string[] }> = [
  { rule: '/v1/', methods: ['GET'] },
  { rule: '/v1/info', methods: ['GET'] },
  { rule: '/v1/parameters', methods: ['GET'] },
  { rule: '/v1/meta', methods: ['GET'] },
  { rule: '/v1/site', methods: ['GET'] },
  { rule: '/v1/chat-messages', methods: ['POST'] },
  { rule: '/v1/chat-messages/<string:task_id>/stop', methods: ['POST'] },
  { rule: '/v1/completion-messages', methods: ['POST'] },
  { rule: '/v1/completion-messages/<string:task_id>/stop', methods: ['POST'] },
  { rule: '/v1/workflows/run', methods: ['POST'] },
  { rule: '/v1/workflows/<string:workflow_id>/run', methods: ['POST'] },
  { rule: '/v1/workflows/run/<string:workflow_run_id>', methods: ['GET'] },
  { rule: '/v1/workflows/tasks/<string:task_id>/stop', methods: ['POST'] },
  { rule: '/v1/conversations', methods: ['GET'] },
  { rule: '/v1/conversations/<uuid:c_id>', methods: ['DELETE'] },
  { rule: '/v1/conversations/<uuid:c_id>/name', methods: ['POST'] },
  { rule: '/v1/messages', methods: ['GET'] },
  { rule: '/v1/messages/<uuid:message_id>/feedbacks', methods: ['POST'] },
  { rule: '/v1/files/upload', methods: ['POST'] },
  { rule: '/v1/audio-to-text', methods: ['POST'] },
  { rule: '/v1/text-to-audio', methods: ['POST'] },
  { rule: '/console/api/setup', methods: ['GET'] },
  { rule: '/console/api/system-features', methods: ['GET'] },
  { rule: '/console/api/version', methods: ['GET'] },
  { rule: '/console/api/login', methods: ['POST'] },
  { rule: '/console/api/logout', methods: ['GET', 'POST'] },
  { rule: '/console/api/refresh-token', methods: ['POST'] },
  { rule: '/console/api/account/profile', methods: ['GET'] },
  { rule: '/console/api/workspaces', methods: ['GET'] },
  { rule: '/console/api/workspaces/current', methods: ['GET', 'POST'] },
  { rule: '/console/api/workspaces/switch', methods: ['POST'] },
  { rule: '/console/api/apps', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/export', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/workflows', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/workflows/draft', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/workflows/publish', methods: ['POST'] },
  { rule: '/console/api/apps/<uuid:app_id>/annotations', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/annotations/export', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/annotation-setting', methods: ['GET'] },
  { rule: '/console/api/apps/<uuid:app_id>/api-keys', methods: ['GET', 'POST'] },
  { rule: '/console/api/apps/imports', methods: ['POST'] },
  { rule: '/console/api/apps/imports/<string:import_id>/confirm', methods: ['POST'] },
  { rule: '/console/api/apps/imports/<string:app_id>/check-dependencies', methods: ['GET'] },
];

/** The rule strings alone. */
export const RULE_STRINGS: readonly string[] = ROUTE_RULES.map((r) => r.rule);

function ruleRegex(rule: string): RegExp {
  const pattern = rule
    .split(/(<[^>]+>)/)
    .map((piece) => (piece.startsWith('<') ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

const COMPILED = ROUTE_RULES.map((r) => ({ ...r, re: ruleRegex(r.rule) }));

/** The methods a path is routed for (empty when no rule matches it). */
export function methodsForPath(path: string): string[] {
  return COMPILED.filter((r) => r.re.test(path)).flatMap((r) => [...r.methods]);
}
