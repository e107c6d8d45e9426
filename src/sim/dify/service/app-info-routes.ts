import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.js';
import { isWorkflowMode } from '../dsl.js';
import { WORKFLOW_FILE_UPLOAD_LIMIT } from '../file-rules.js';
import { sendRestx } from '../reply.js';
import { appUnavailable, authenticateApp } from './app-auth.js';

/** GET /v1/, /info, /parameters, /meta, /site (reference §1, §8). */
export function registerAppInfoRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v1/', async (_req, reply) => sendRestx(reply, 200, { welcome: 'Dify OpenAPI', api_version: 'v1', server_version: ctx.behaviour.version }));

  app.get('/v1/info', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const meta = appRec.source.meta;
    return sendRestx(reply, 200, {
      name: meta.name,
      description: meta.description,
      tags: appRec.tags.map((t) => t.name),
      // An agent-enabled chat app still reports `chat` here.
      mode: meta.mode,
      author_name: ctx.consoleState.account.name,
    });
  });

  app.get('/v1/parameters', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (isWorkflowMode(appRec.source.meta.mode) && appRec.published.length === 0) throw appUnavailable();
    const runtime = ctx.runtimeFor(appRec);
    const f = runtime.features;
    const limits = ctx.options.uploadLimits;
    return sendRestx(reply, 200, {
      opening_statement: runtime.openingStatement,
      suggested_questions: Array.isArray(f.suggested_questions) ? f.suggested_questions : [],
      suggested_questions_after_answer: f.suggested_questions_after_answer ?? { enabled: false },
      speech_to_text: f.speech_to_text ?? { enabled: false },
      text_to_speech: f.text_to_speech ?? { enabled: false },
      retriever_resource: f.retriever_resource ?? { enabled: false },
      annotation_reply: f.annotation_reply ?? { enabled: false },
      more_like_this: f.more_like_this ?? { enabled: false },
      user_input_form: runtime.userInputForm,
      sensitive_word_avoidance: f.sensitive_word_avoidance ?? { enabled: false, type: '', configs: [] },
      file_upload: f.file_upload ?? { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } },
      system_parameters: {
        image_file_size_limit: limits.image,
        video_file_size_limit: limits.video,
        audio_file_size_limit: limits.audio,
        file_size_limit: limits.file,
        workflow_file_upload_limit: WORKFLOW_FILE_UPLOAD_LIMIT,
      },
    });
  });

  app.get('/v1/meta', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const runtime = ctx.runtimeFor(appRec);
    const icons: Record<string, unknown> = {};
    for (const tool of runtime.agentTools) {
      icons[tool.name] =
        tool.providerType === 'builtin'
          ? `${ctx.origin}/console/api/workspaces/current/tool-provider/builtin/${tool.providerId}/icon`
          : { background: '#252525', content: '🔧' };
    }
    return sendRestx(reply, 200, { tool_icons: icons });
  });

  app.get('/v1/site', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const meta = appRec.source.meta;
    return sendRestx(reply, 200, {
      title: meta.name,
      chat_color_theme: null,
      chat_color_theme_inverted: false,
      icon_type: meta.icon_type,
      icon: meta.icon,
      icon_background: meta.icon_background,
      icon_url: null,
      description: meta.description,
      copyright: null,
      privacy_policy: null,
      custom_disclaimer: '',
      default_language: 'en-US',
      show_workflow_steps: true,
      use_icon_as_answer_icon: meta.use_icon_as_answer_icon,
    });
  });
}
