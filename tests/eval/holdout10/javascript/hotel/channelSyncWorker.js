// workers/channelSyncWorker.js
// Pushes availability + rates to the OTAs (Booking.com, Expedia, Airbnb) for
// each property after a change. Runs as its own deployment (2 replicas);
// BullMQ guarantees a job is processed by one worker at a time.
'use strict';

const fs = require('fs');
const path = require('path');
const axios = require('axios');
const { Worker } = require('bullmq');
const IORedis = require('ioredis');
const logger = require('../lib/logger');
const { loadAriSnapshot } = require('../lib/ari');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });

// Channel endpoints/credentials are read once at boot from the mounted config
// map; nothing writes to this object afterwards.
const CHANNELS = Object.freeze(
  JSON.parse(fs.readFileSync(path.join(process.env.CONFIG_DIR || '/etc/chm', 'channels.json'), 'utf8'))
);

// One HTTP client for all pushes; timeout is configured on the instance.
const http = axios.create({
  timeout: 15_000,
  headers: { 'User-Agent': 'chm-sync/3.2' },
});

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isRetryable(err) {
  const status = err.response?.status;
  return !status || status === 429 || status >= 500;
}

async function withBackoff(fn, label) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
        logger.error({ err: err.message, label, attempt }, 'channel push failed, giving up');
        throw err;
      }
      const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      const delay = Math.floor(Math.random() * exp); // full jitter
      logger.warn({ label, attempt, delay }, 'channel push failed, retrying');
      await sleep(delay);
    }
  }
}

async function pushToChannel(channelCode, propertyId, ari) {
  const channel = CHANNELS[channelCode];
  if (!channel) throw new Error(`unknown channel ${channelCode}`);

  return withBackoff(
    () =>
      http.post(`${channel.baseUrl}/ari/${channel.hotelIdPrefix}${propertyId}`, ari, {
        headers: { Authorization: `Bearer ${channel.token}` },
      }),
    `${channelCode}:${propertyId}`
  );
}

const worker = new Worker(
  'channel-sync',
  async (job) => {
    const { propertyId, channels, from, to } = job.data;
    const ari = await loadAriSnapshot(propertyId, from, to);

    for (const code of channels) {
      await pushToChannel(code, propertyId, ari);
      await job.updateProgress({ pushed: code });
    }
    return { propertyId, channels: channels.length };
  },
  { connection, concurrency: 8 }
);

worker.on('failed', (job, err) => {
  logger.error({ jobId: job?.id, err: err.message }, 'channel-sync job failed');
});

process.on('SIGTERM', async () => {
  await worker.close();
  await connection.quit();
  process.exit(0);
});
