import { inboundXml, type XmlField } from './inbound-xml.js';
import type { PublishJob } from './publish-jobs.js';

/** The PUBLISHJOBFINISH event WeChat POSTs when a publish job ends (reference §2.2). */
export function publishJobFinishXml(init: { ghId: string; fromOpenid: string; createTime: number; job: PublishJob }): string {
  const { job } = init;
  const info: XmlField[] = [
    ['publish_id', { bare: job.publishId }],
    ['publish_status', job.status],
  ];
  if (job.articleId !== undefined) {
    info.push(['article_id', job.articleId]);
    info.push([
      'article_detail',
      [['count', job.articleUrls.length], ...job.articleUrls.map((url, i): XmlField => ['item', [['idx', i + 1], ['article_url', url]]])],
    ]);
  }
  for (const idx of job.failIdx) info.push(['fail_idx', idx]);
  return inboundXml([
    ['ToUserName', init.ghId],
    ['FromUserName', init.fromOpenid],
    ['CreateTime', init.createTime],
    ['MsgType', 'event'],
    ['Event', 'PUBLISHJOBFINISH'],
    ['PublishEventInfo', info],
  ]);
}
