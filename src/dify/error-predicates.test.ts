import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiErrorFromResponse } from './api-error-body.js';
import {
  isAppUnavailable,
  isConcurrencyLimit,
  isConversationNotFound,
  isProviderQuotaExceeded,
  isRateLimited,
  isRetryable,
} from './error-predicates.js';
import { DifyTransportError } from './errors.js';

const EP = 'POST /chat-messages';
const err = (status: number, body: unknown) => apiErrorFromResponse(status, typeof body === 'string' ? body : JSON.stringify(body), EP);
const tooMany = 'Too many requests. Please try again later. The current maximum concurrent requests allowed for app-1 is 1.';

describe('Dify error predicates', () => {
  it('recognises conversation-not-found with the flask-restx URI tail, and nothing else on 404', () => {
    const e = err(404, {
      code: 'not_found',
      message: 'Conversation Not Exists. You have requested this URI [/v1/chat-messages] but did you mean /v1/chat-messages ?',
      status: 404,
    });
    assert.equal(isConversationNotFound(e), true);
    assert.equal(e.difyCode, 'not_found');
    assert.equal(e.endpoint, EP);
    assert.equal(isConversationNotFound(err(404, { code: 'not_found', message: 'Last Conversation Not Exists.', status: 404 })), false);
    assert.equal(isConversationNotFound(err(404, { code: 'not_found', message: 'Workflow not found with id: x', status: 404 })), false);
  });

  it('recognises the concurrency limit in both forms, and any 429', () => {
    const as400 = err(400, { code: 'invalid_param', message: tooMany, status: 400 });
    const as429 = err(429, { code: 'too_many_requests', message: tooMany, status: 429 });
    const cloudflare = err(429, 'error code: 1015');
    const billing = err(429, { code: 'rate_limit_error', message: 'Rate Limit Error', status: 429 });
    for (const e of [as400, as429, cloudflare, billing]) assert.equal(isRateLimited(e), true);
    assert.equal(isConcurrencyLimit(as400) && isConcurrencyLimit(as429), true);
    assert.equal(isConcurrencyLimit(billing), false);
    assert.equal(isRetryable(billing), false, 'rate_limit_error is not retried per Dify docs');
    assert.equal(isRetryable(as400), true);
    assert.equal(cloudflare.difyCode, 'http_error');
    assert.equal(cloudflare.difyMessage, 'error code: 1015');
    assert.equal(isRateLimited(err(400, { code: 'invalid_param', message: 'query is required', status: 400 })), false);
  });

  it('recognises app-unavailable and provider-quota errors', () => {
    assert.equal(isAppUnavailable(err(400, { code: 'app_unavailable', message: 'App unavailable', status: 400 })), true);
    assert.equal(isAppUnavailable(err(403, { code: 'forbidden', message: "The app's API service has been disabled.", status: 403 })), true);
    assert.equal(isAppUnavailable(err(400, { code: 'not_chat_app', message: 'x', status: 400 })), false);
    assert.equal(isProviderQuotaExceeded(err(400, { code: 'provider_quota_exceeded', message: 'q', status: 400 })), true);
  });

  it('classifies retryable failures', () => {
    assert.equal(isRetryable(err(502, '<html>Bad Gateway</html>')), true);
    assert.equal(isRetryable(new DifyTransportError(EP, 'network', 'ECONNRESET')), true);
    assert.equal(isRetryable(new DifyTransportError(EP, 'first_event_timeout', 'x')), false);
    assert.equal(isRetryable(err(401, { code: 'unauthorized', message: 'Access token is invalid', status: 401 })), false);
  });
});
