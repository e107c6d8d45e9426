export { startDifySimulator } from './simulator.js';
export type {
  DifyBehaviourOverrides,
  DifySimulator,
  DifySimulatorOptions,
  ExportFailure,
  ScriptContext,
  ScriptFailure,
  ScriptFile,
  ScriptMatch,
  ScriptRule,
  ScriptThought,
  SimAppCount,
  SimAppInfo,
  SimAppInit,
  SimAppMode,
  SimCall,
  SimCallFilter,
  SimFileUploadInit,
  SimInputInit,
} from './types.js';
export { DIFY_VERSION_FAMILIES, LATEST_DIFY_VERSION, difyBehaviour, type DifyBehaviour } from './version-profile.js';
