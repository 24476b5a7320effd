// lib/riverLevel.ts
//
// River rowing club: before an outing is signed out, the boathouse app checks
// the gauge upstream of the club (Environment Agency flood-monitoring API).
// Red board above 1.6 m, amber above 1.2 m: juniors and novice crews stay in.

import { logger } from './logger';

const EA_BASE = 'https://environment.data.gov.uk/flood-monitoring';
const REQUEST_TIMEOUT_MS = 4000;
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;

export type BoardColour = 'green' | 'amber' | 'red';

export interface GaugeReading {
  stationId: string;
  levelM: number;
  readAt: string;
  board: BoardColour;
}

class RetryableError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff: random(0, min(cap, base * 2^attempt)). */
function backoffDelay(attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

async function fetchLatest(stationId: string): Promise<{ value: number; dateTime: string }> {
  const url = `${EA_BASE}/id/stations/${encodeURIComponent(stationId)}/readings?latest&_limit=1`;
  const res = await fetch(url, {
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });

  if (res.status === 429 || res.status >= 500) {
    throw new RetryableError(`EA API ${res.status}`);
  }
  if (!res.ok) {
    throw new Error(`EA API ${res.status} for station ${stationId}`);
  }
  const body = (await res.json()) as { items: Array<{ value: number; dateTime: string }> };
  if (body.items.length === 0) throw new Error(`No readings for station ${stationId}`);
  return body.items[0];
}

export async function currentGauge(stationId: string): Promise<GaugeReading> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const latest = await fetchLatest(stationId);
      return {
        stationId,
        levelM: latest.value,
        readAt: latest.dateTime,
        board: latest.value > 1.6 ? 'red' : latest.value > 1.2 ? 'amber' : 'green',
      };
    } catch (err) {
      const retryable = err instanceof RetryableError || (err as Error).name === 'TimeoutError';
      if (!retryable || attempt + 1 >= MAX_ATTEMPTS) {
        logger.error({ err, stationId, attempt }, 'river gauge lookup failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      logger.warn({ stationId, attempt, delay }, 'river gauge lookup retrying');
      await sleep(delay);
    }
  }
  throw new Error('unreachable: retry loop exited without result');
}
