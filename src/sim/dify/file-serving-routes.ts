import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from './context.js';
import { DifyHttpError, notFound } from './http-errors.js';
import { verifySignedQuery } from './signed-url.js';

/** The signed file URLs Dify hands out: uploads (`/files/:id/file-preview`) and tool files (`/files/tools/:id.ext`). */
export function registerFileServingRoutes(app: FastifyInstance, ctx: SimContext): void {
  const signature = (req: FastifyRequest) => req.query as { timestamp?: string; nonce?: string; sign?: string };
  const forbidden = () => new DifyHttpError(403, 'forbidden', 'Invalid request.');

  const preview = (purpose: 'file-preview' | 'image-preview') =>
    async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const upload = ctx.state.uploads.get(req.params.id);
      if (!upload) throw notFound('File not found.');
      if (!verifySignedQuery(ctx.secret, purpose === 'image-preview' ? 'image-preview' : 'file-preview', upload.id, signature(req), Date.now())) {
        // image-preview URLs may also carry a file-preview signature.
        if (!(purpose === 'image-preview' && verifySignedQuery(ctx.secret, 'file-preview', upload.id, signature(req), Date.now()))) throw forbidden();
      }
      return reply.code(200).header('Content-Type', upload.mimeType).header('Content-Length', String(upload.size)).send(upload.data);
    };
  app.get('/files/:id/file-preview', preview('file-preview'));
  app.get('/files/:id/image-preview', preview('image-preview'));

  app.get<{ Params: { file: string } }>('/files/tools/:file', async (req, reply) => {
    const id = req.params.file.replace(/\.[^.]*$/, '');
    const file = ctx.state.toolFiles.get(id);
    if (!file) throw notFound('File not found.');
    if (!verifySignedQuery(ctx.secret, 'file-preview', id, signature(req), Date.now())) throw forbidden();
    return reply.code(200).header('Content-Type', file.mimeType).header('Content-Length', String(file.data.length)).send(file.data);
  });
}
