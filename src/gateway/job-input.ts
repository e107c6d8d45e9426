/**
 * What a queued follower message asks of the worker. Commands travel through the same ordered inbox as AI
 * queries, so "/new" after a question resets the conversation only once that question is answered. Media is
 * fetched by the worker, never on the webhook path: a job carries only the ids WeChat sent.
 */
export type JobInput =
  /** Ask the AI. `inputs` are the message's facts (filtered to the app's declared inputs when asked). */
  | { type: 'query'; query: string; inputs?: Record<string, string>; spoken?: boolean }
  | { type: 'reset' }
  /** An image: passed to the AI as a file when the app takes images, else described in text. */
  | { type: 'image'; mediaId: string; picUrl: string; inputs?: Record<string, string> }
  /** A voice message without WeChat's recognition: transcribed by the AI app, then asked. */
  | { type: 'voice'; mediaId: string; format: string; inputs?: Record<string, string> }
  /** A welcome from the AI app's opening statement. */
  | { type: 'welcome'; inputs?: Record<string, string> };

/** Serializes a job input for the inbox. */
export function encodeJobInput(input: JobInput): string {
  return JSON.stringify(input);
}

/** Parses a job input from the inbox. */
export function decodeJobInput(payload: string): JobInput {
  return JSON.parse(payload) as JobInput;
}
