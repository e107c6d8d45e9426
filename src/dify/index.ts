/** Dify clients: Service API (`/v1`), Console API (`/console/api`), and the SSE stream layer. */
export {
  DifyApiError,
  DifyTransportError,
  DifyLoginError,
  DifyUnsupportedVersionError,
  type DifyTransportReason,
  type DifyLoginFailureReason,
} from './errors.js';
export {
  isConversationNotFound,
  isRateLimited,
  isConcurrencyLimit,
  isAppUnavailable,
  isProviderQuotaExceeded,
  isProviderNotConfigured,
  isRetryable,
} from './error-predicates.js';

// Stream layer
export { SseParser, type SseEvent } from './sse-parser.js';
export * from './stream-events.js';
export { AnswerAccumulator } from './answer-accumulator.js';
export type * from './answer-types.js';
export { DifyEventStream } from './chat-stream.js';

// Service API
export {
  DifyServiceClient,
  isBlockingRejectedByAgent,
  type DifyServiceClientOptions,
  type DifyCallOptions,
  type DifyChatOptions,
} from './service-client.js';
export { toDifyAppMode, isStreamingOnlyMode, type DifyAppMode, type DifyAppKind } from './app-mode.js';
export {
  ChatMessages,
  answerFromBlocking,
  type ChatMessageParams,
  type ChatBlockingResponse,
  type DifyFileInput,
  type DifyResultSuccess,
} from './service/chat-messages.js';
export {
  CompletionMessages,
  type CompletionMessageParams,
  type CompletionBlockingResponse,
} from './service/completion-messages.js';
export {
  Workflows,
  type WorkflowRunParams,
  type WorkflowRunData,
  type WorkflowBlockingResponse,
  type WorkflowRunDetail,
} from './service/workflows.js';
export {
  Conversations,
  type DifyConversation,
  type ConversationListParams,
  type ConversationPage,
  type ConversationRenameParams,
} from './service/conversations.js';
export { Messages, type DifyMessage, type MessageListParams, type MessagePage } from './service/messages.js';
export { Files, type DifyUploadInput, type DifyUploadedFile } from './service/files.js';
export { Audio, type TextToAudioParams, type DifyAudio } from './service/audio.js';
export {
  AppInfo,
  type DifyAppInfo,
  type DifyAppParameters,
  type DifyAppMeta,
  type DifyUserInputFormItem,
} from './service/app-info.js';

// Console API
export { DifyConsoleClient, consoleApiBase, type DifyConsoleClientOptions } from './console-client.js';
export {
  loginFamilyFor,
  encodeLoginPassword,
  NEWEST_KNOWN_DIFY_VERSION,
  type ConsoleLoginFamily,
  type ConsoleAuthMode,
  type ConsoleCredentials,
} from './console-auth.js';
export {
  ConsoleApps,
  type ConsoleApp,
  type ConsoleAppPage,
  type ConsoleAppMode,
  type ConsoleAppListParams,
  type ConsoleAppDetail,
  type ConsoleExportParams,
} from './console/apps.js';
export { ConsoleWorkflows, type ConsoleWorkflow, type ConsoleWorkflowPage } from './console/workflows.js';
export { ConsoleAnnotations, type ConsoleAnnotation, type ConsoleAnnotationPage } from './console/annotations.js';
export {
  ConsoleImports,
  type DifyImport,
  type DifyImportStatus,
  type DifyImportParams,
  type DifyImportOutcome,
  type DifyPluginDependency,
} from './console/imports.js';
