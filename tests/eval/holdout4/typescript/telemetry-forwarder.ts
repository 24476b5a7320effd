// Forwards validated telemetry batches from the edge collector to the analytics ingest API.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';

const log = pino({ name: 'forwarder' });

const INGEST_URL = process.env.ANALYTICS_INGEST_URL ?? 'https://ingest.analytics.internal/v2/batches';
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;
const REQUEST_TIMEOUT_MS = 5_000;

export interface TelemetryBatch {
  batchId: string; // also sent as Idempotency-Key so a retried POST is not double-counted
  deviceId: string;
  readings: Array<{ metric: string; value: number; ts: number }>;
}

class RetryableError extends Error {}

function backoff(attempt: number): number {
  // exponential with full jitter, capped
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

async function postOnce(batch: TelemetryBatch): Promise<void> {
  let res: Response;
  try {
    res = await fetch(INGEST_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': batch.batchId },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    // network error or timeout
    throw new RetryableError((err as Error).message);
  }
  if (res.ok) return;
  const text = await res.text().catch(() => '');
  if (res.status === 429 || res.status >= 500) throw new RetryableError(`ingest ${res.status}: ${text}`);
  throw new Error(`ingest rejected batch ${batch.batchId}: ${res.status} ${text}`);
}

export async function forwardBatch(batch: TelemetryBatch): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await postOnce(batch);
      return;
    } catch (err) {
      if (!(err instanceof RetryableError) || attempt === MAX_ATTEMPTS - 1) {
        log.error({ err, batchId: batch.batchId, attempt }, 'forwarding failed');
        throw err;
      }
      const delay = backoff(attempt);
      log.warn({ batchId: batch.batchId, attempt, delay, reason: err.message }, 'retrying batch');
      await sleep(delay);
    }
  }
}
