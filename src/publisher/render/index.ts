export { renderArticle, type RenderOptions, type RenderedArticle } from './render-article.js';
export { splitFrontMatter, type ArticleFrontMatter, type CommentsSetting, type SplitArticle } from './front-matter.js';
export type { ArticleImage, RenderWarning } from './render-env.js';
export type { ArticleLink } from './links.js';
export { RenderError, FrontMatterError, UnknownThemeError, type RenderErrorCode } from './errors.js';
export { ArticleFileError, readArticleSource } from './article-source.js';
export { previewPage, previewErrorPage, PHONE_WIDTH, type PreviewPageOptions } from './preview-page.js';
export { startPreviewServer, type PreviewServer, type PreviewServerOptions } from './preview-server.js';
