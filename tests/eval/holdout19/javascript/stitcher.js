// workers/stitcher.js
// Pulls "stitch" jobs off the queue, asks the ad decision server which spots fill each
// ad break, stitches the MP3 segments and records impressions for advertiser billing.
// Runs as its own deployment (2 replicas, concurrency 8 each).

const axios = require('axios');
const { Worker } = require('bullmq');
const IORedis = require('ioredis');
const { stitchSegments } = require('../audio/stitch');
const log = require('../log');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });

const adServer = axios.create({
  baseURL: process.env.ADS_DECISION_URL,
  headers: { 'X-Api-Key': process.env.ADS_API_KEY },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchDecisions(episodeId, breaks, geo) {
  let attempt = 0;
  while (true) {
    try {
      const { data } = await adServer.post('/v1/decisions', { episodeId, breaks, geo });
      return data.spots;
    } catch (err) {
      attempt++;
      log.warn({ episodeId, attempt, err: err.message }, 'ad decision failed, retrying');
      await sleep(500);
    }
  }
}

async function reportImpressions(spots, downloadId) {
  try {
    await adServer.post('/v1/impressions', {
      downloadId,
      spotIds: spots.map((s) => s.id),
      ts: new Date().toISOString(),
    });
  } catch (e) {
    // impressions are best-effort
  }
}

const worker = new Worker(
  'stitch',
  async (job) => {
    const { episodeId, downloadId, breaks, geo } = job.data;
    const spots = await fetchDecisions(episodeId, breaks, geo);
    const outKey = await stitchSegments(episodeId, spots);
    await reportImpressions(spots, downloadId);
    return { outKey, spots: spots.length };
  },
  { connection, concurrency: 8 }
);

worker.on('failed', (job, err) => {
  log.error({ jobId: job && job.id, err }, 'stitch job failed');
});

process.on('SIGTERM', async () => {
  await worker.close();
  process.exit(0);
});
