import type { ScriptRule } from '../sim/dify/types.js';

/** What the demo AI is told to do, from the side panel. */
export interface DemoAiBehaviour {
  /** Delay before the AI's first event, ms. */
  latencyMs: number;
  /** Every call answers HTTP 500 (Dify down). */
  fails: boolean;
  /** The PNG the image answer carries. */
  picture: Buffer;
}

/** Questions the demo AI has a scripted answer for; the page offers them in its menu. */
export const DEMO_PROMPTS = {
  long: '长回答',
  picture: '来张图片',
  think: '想一想',
  hello: '你好',
} as const;

/**
 * A long Markdown answer: over 2048 bytes once shaped to plain text, so the follower receives it in several
 * messages (the first passively, the rest by 客服), and full of Markdown the gateway must flatten.
 */
export const LONG_ANSWER = `# mpgate 如何送达每一个回答

微信公众号给开发者的服务器**只有 5 秒**：超过 5 秒没有回复，微信会断开连接并重新推送同一条消息，最多 3 次。AI 生成一个回答常常需要十几秒甚至更久，所以 mpgate 用一套"送达引擎"保证回答**恰好送达一次**。

## 一、被动回复：用满每一个窗口

1. 第一次推送到达时，mpgate 在存储里**原子地认领**这条消息，把它放进这位粉丝的队列，然后交给 AI。
2. 每次推送都会等到自己的截止时间前一点点（默认提前 500 毫秒）。
3. 回答在窗口内生成好了，就直接作为被动回复返回——这是最快、最省配额的方式。
4. 还没好，而且不是最后一次推送，就**什么都不回**，让微信超时后再推一次。

> 同一条消息的三次推送只会触发**一次** AI 调用，哪怕它们落在不同的进程上。

## 二、客服消息：窗口之外的回答

最后一次推送仍等不到回答时，mpgate 先回复一句"正在生成"，回答好了再用**客服消息**推送给粉丝。客服消息的规则：

- 认证过的账号才能发（未认证会得到错误码 \`48001\`，mpgate 会自动识别）；
- 粉丝发消息后 48 小时内可以发，每条用户消息最多 5 条；
- 每条文本最多 2048 字节（UTF-8）。

## 三、关键词领取：最后的保底

账号不能推送时（未认证、超出配额、窗口已关闭），回答会保存在存储里，粉丝回复「继续」即可领取。没有领取的回答在 24 小时后过期删除。

## 四、长回答怎么办

像这条回答一样超过 2048 字节的内容，会在**句子边界**处拆成几条消息：第一条走被动回复，其余的依次用客服消息推送，中间隔一小段时间，保证顺序。Markdown 会先转换成纯文本：

| Markdown | 粉丝看到的 |
|---|---|
| 标题、粗体 | 普通文字 |
| 列表 | 带序号或圆点的行 |
| 链接 | 文字加网址 |
| 代码块 | 保留换行的原文 |

\`\`\`yaml
delivery:
  timeoutMs: 5000   # 微信的 5 秒窗口
  attempts: 3       # 同一条消息最多推送 3 次
\`\`\`

## 五、在这个演示里试一试

- 把右侧的 **AI 延迟** 调到 7 秒：回答会在第 2 次推送时送达；
- 调到 12 秒：第 3 次推送时送达；
- 调到 25 秒：先收到"正在生成"，回答随后以客服消息推送；
- 把账号切换为**未认证**：回答改为保存，回复「继续」领取；
- 打开**故障注入**：Dify 返回 500 时粉丝会收到一句道歉，微信繁忙时推送会自动重试。

被动回复的规则见微信的[官方文档](https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html)，mpgate 的实现见项目里的 docs/delivery-engine.md。每一个环节都有测试覆盖：真实的 HTTP、真实的 SQLite 文件、真实的浏览器，只有微信和 Dify 是模拟器。

## 六、为什么不用一个简单的队列

简单的做法是收到消息就返回 success，然后在后台调用 AI 并推送客服消息。但这样有三个问题：未认证账号根本不能推送；每条客服消息都占用粉丝 48 小时窗口里有限的配额；而且大多数回答其实能在 5 秒或 15 秒内生成，完全可以作为被动回复直接送达。mpgate 先尽量被动回复，不行再推送，最后才让粉丝领取，每一步都记录在存储里，进程崩溃重启后也能接着完成。

## 七、数据与隐私

mpgate 只保存送达回答所必需的数据：对话编号、还没送达的回答、每条消息的送达记录。这些数据都按**粉丝**归档，都有过期时间，默认 30 天后自动删除；粉丝取消关注时，关于他的记录会立刻删除，一条命令也能清除某位粉丝的全部数据。日志默认只记录消息的长度，不记录内容；AppSecret、Token、EncodingAESKey 和 API 密钥永远不会出现在日志或错误信息里。

多个 mpgate 进程可以共用一个存储（SQLite 或 Redis）：同一条消息无论落在哪个进程，都只调用一次 AI；某个进程崩溃后，其他进程会在租约到期后接手它手里的粉丝，继续按顺序处理他们的消息。这个演示用的就是同一套代码，只是把微信和 Dify 换成了本机的模拟器。
`;

const THINKING = '粉丝问了一个需要思考的问题。先想清楚要点，再给出简短的回答；思考过程不应该发给粉丝。';

const HELLO = `你好！我是 mpgate 演示里的 AI（一个本地的 Dify 模拟器）。可以试试发送：
「${DEMO_PROMPTS.long}」看长回答怎样拆成几条消息；
「${DEMO_PROMPTS.picture}」收一张图片；
「${DEMO_PROMPTS.think}」看思考过程怎样被去掉；
其他内容我会原样复述。也可以点底部的菜单。`;

/** The demo AI's scripted answers, in match order: the first rule whose pattern fits the question answers. */
export function demoScript(behaviour: DemoAiBehaviour): ScriptRule[] {
  const timing = { latencyMs: behaviour.latencyMs, chunkSize: 24 };
  if (behaviour.fails) return [{ fail: '5xx', ...timing }];
  return [
    // The gateway puts a follower's picture into words as "[图片]" (and passes the file when the app takes images).
    { match: /^\[图片\]/, answer: '收到你的图片了！（演示 AI 不会看图，只会确认收到。）', ...timing },
    { match: /长回答|详细|介绍|long|markdown/i, answer: LONG_ANSWER, ...timing },
    {
      match: /图|照片|picture|photo|image/i,
      answer: '给你画了一张风景：',
      files: [{ type: 'image', filename: 'landscape.png', mimeType: 'image/png', data: behaviour.picture }],
      ...timing,
    },
    {
      match: /想一想|思考|think|为什么|why/i,
      think: THINKING,
      answer: '想好了：**先用满 5 秒窗口被动回复，来不及再用客服消息推送**，这样每个回答都恰好送达一次。（上面的思考过程已被网关去掉。）',
      ...timing,
    },
    { match: /^(你好|您好|hi|hello|help|帮助)([\s!！。，,]|$)/i, answer: HELLO, ...timing },
    { answer: ({ query }) => `你说的是：「${query}」\n\n（演示 AI 会原样复述，试试「${DEMO_PROMPTS.long}」或「${DEMO_PROMPTS.picture}」。）`, ...timing },
  ];
}
