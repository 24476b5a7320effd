// Good catch: the original `while (true)` loop retried immediately and forever, and the
// fetch() had no timeout, so when the TPA's API went down every worker sat on hung sockets
// and then hammered them the moment it came back. Here's a fixed version:
//
//  - every request has a hard timeout (AbortSignal.timeout)
//  - retries only on network errors, 429 and 5xx
//  - capped exponential backoff with full jitter, max 6 attempts, honours Retry-After
//  - failures are logged with context and re-thrown so the job runner marks the job failed

const logger = require('../lib/logger');

const TPA_BASE_URL = process.env.TPA_BASE_URL; // third-party administrator for claims
const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;
const REQUEST_TIMEOUT_MS = 8_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class RetryableError extends Error {
  constructor(message, retryAfterMs) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

async function postOnce(path, body) {
  const res = await fetch(`${TPA_BASE_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.TPA_TOKEN}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (res.status === 429 || res.status >= 500) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new RetryableError(`TPA ${res.status}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
  }
  if (!res.ok) {
    throw new Error(`TPA rejected ${path}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

function isRetryable(err) {
  return err instanceof RetryableError || err.name === 'TimeoutError' || err.name === 'TypeError'; // TypeError = network failure in fetch
}

/**
 * Push an adjuster assignment for a claim to the TPA.
 * The TPA dedupes on Idempotency-Key style `assignmentId`, so retries are safe.
 */
async function pushAdjusterAssignment(assignment) {
  const payload = {
    assignmentId: assignment.id,
    claimNumber: assignment.claimNumber,
    adjusterLicense: assignment.adjusterLicense,
    assignedAt: assignment.assignedAt,
  };

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await postOnce('/v2/assignments', payload);
    } catch (err) {
      if (!isRetryable(err) || attempt === MAX_ATTEMPTS) {
        logger.error({ err, claimNumber: assignment.claimNumber, attempt }, 'TPA assignment push failed');
        throw err;
      }
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      const delay = Math.min(MAX_DELAY_MS, err.retryAfterMs ?? Math.random() * backoff); // full jitter, capped
      logger.warn({ claimNumber: assignment.claimNumber, attempt, delay }, 'TPA push failed, retrying');
      await sleep(delay);
    }
  }
}

module.exports = { pushAdjusterAssignment };
