/** Dify's app modes as the API names them (`agent` is the newer "New Agent" app). */
export type DifyAppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'workflow' | 'completion' | 'agent';

/** mpgate's config names for the same apps (`app: chat | agent | chatflow | workflow | completion`). */
export type DifyAppKind = 'chat' | 'agent' | 'chatflow' | 'workflow' | 'completion';

/** Maps a config name or a Dify mode to Dify's mode (`chatflow` → `advanced-chat`; `agent` stays `agent`). */
export function toDifyAppMode(mode: DifyAppMode | DifyAppKind): DifyAppMode {
  return mode === 'chatflow' ? 'advanced-chat' : mode;
}

/** Agent apps reject blocking requests (400 "Agent Chat App does not support blocking mode"). */
export function isStreamingOnlyMode(mode: DifyAppMode | DifyAppKind | undefined): boolean {
  return mode === 'agent-chat' || mode === 'agent';
}
