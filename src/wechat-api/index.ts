/**
 * The WeChat Official Account API client (reference wechat-platform.md §4–9). Generic internal names are
 * exported with a `WeChat` prefix so that the package's root index stays free of clashes.
 */
export { WeChatApiError, WeChatTransportError, WeChatUploadError, type UploadRefusal as WeChatUploadRefusal } from './errors.js';
export { WeChatClient, type WeChatClientOptions, type AuthedRequest as WeChatAuthedRequest } from './client.js';
export {
  ApiCore as WeChatApiCore,
  DEFAULT_WECHAT_API_BASE,
  type ApiCoreOptions as WeChatApiCoreOptions,
  type ApiRequest as WeChatApiRequest,
  type ApiAnswer as WeChatApiAnswer,
} from './api-core.js';
export {
  AccessTokenManager,
  type AccessTokenManagerOptions,
  type TokenEndpoint as WeChatTokenEndpoint,
} from './access-token.js';
export { TOKEN_INVALID_CODES as WECHAT_TOKEN_INVALID_CODES } from './error-hints.js';
export type { MediaFormat as WeChatMediaFormat } from '../wechat/media-format.js';
export {
  TEMPORARY_MEDIA_LIMITS,
  PERMANENT_MATERIAL_LIMITS,
  ARTICLE_IMAGE_LIMIT,
  checkUploadSize,
  checkUploadFormat,
  type MediaType as WeChatMediaType,
  type UploadLimit as WeChatUploadLimit,
  type AcceptedUpload as WeChatAcceptedUpload,
} from './upload-limits.js';
export {
  prepareUpload as prepareWeChatUpload,
  type UploadSource as WeChatUploadSource,
  type PreparedUpload as WeChatPreparedUpload,
} from './upload-source.js';
export type { CallOptions as WeChatCallOptions } from './resource.js';
export type { CustomMessage, CustomMessageBody, CustomMessageType, NewsMessageArticle, TypingCommand } from './resources/message.js';
export type { UploadedMedia, MediaFile, MediaContent } from './resources/media.js';
export type {
  NewMaterial,
  AddedMaterial,
  MaterialContent,
  MaterialCount,
  MaterialList,
  MaterialListItem,
  MaterialListType,
} from './resources/material.js';
export type { DraftArticle, DraftNewsArticle, DraftNewspicArticle, StoredArticle, DraftList, DraftListItem } from './resources/draft.js';
export type { PublishStatus, PublishStatusCode, PublishedList, PublishedListItem } from './resources/freepublish.js';
export type { MenuDefinition, MenuButton, MenuActionButton, MenuButtonType, MenuInfo } from './resources/menu.js';
export type { UserInfo as WeChatUserInfo } from './resources/user.js';
