// lib/mountainWeather.ts
// Client for the mountain forecast service used on the incident board: summit wind,
// freezing level and cloud base for the team's operating area. Called from the
// incident API and the morning briefing job.

import axios, { AxiosError, AxiosInstance } from 'axios';
import https from 'node:https';
import pino from 'pino';

const log = pino({ name: 'mountain-weather' });

export interface SummitForecast {
  summit: string;
  validFrom: string;
  windMph: number;
  gustMph: number;
  freezingLevelM: number;
  cloudBaseM: number;
}

const keepAliveAgent = new https.Agent({ keepAlive: true, maxSockets: 20 });

const http: AxiosInstance = axios.create({
  baseURL: process.env.MOUNTAIN_WX_URL,
  timeout: 6000,
  httpsAgent: keepAliveAgent,
  headers: { 'x-api-key': process.env.MOUNTAIN_WX_KEY ?? '' },
});

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 5000;

function isRetryable(err: unknown): boolean {
  if (!axios.isAxiosError(err)) return false;
  const e = err as AxiosError;
  if (!e.response) return true; // network error or timeout
  return e.response.status === 429 || e.response.status >= 500;
}

function backoffDelay(attempt: number): number {
  // Full jitter: random between 0 and min(cap, base * 2^attempt).
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetry<T>(label: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= MAX_ATTEMPTS || !isRetryable(err)) {
        log.error({ err, label, attempt }, 'mountain weather request failed');
        throw err;
      }
      const delay = backoffDelay(attempt);
      log.warn({ label, attempt, delay }, 'retrying mountain weather request');
      await sleep(delay);
    }
  }
}

export async function getAreaForecast(areaCode: string): Promise<SummitForecast[]> {
  const { data } = await withRetry(`area:${areaCode}`, () =>
    http.get<{ summits: SummitForecast[] }>(`/v2/areas/${encodeURIComponent(areaCode)}/summits`, {
      params: { hours: 24 },
    }),
  );
  return data.summits;
}

export async function getSummitForecast(summitId: string): Promise<SummitForecast> {
  const { data } = await withRetry(`summit:${summitId}`, () =>
    http.get<SummitForecast>(`/v2/summits/${encodeURIComponent(summitId)}/forecast`),
  );
  return data;
}
