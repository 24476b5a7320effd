// worker/printQueue.js
// Makerspace 3D-printer queue. One worker process per printer host (4 hosts, 11 printers);
// any worker may pick any queued job, so claims go through Postgres and printer
// ownership through Redis.
const crypto = require('crypto');
const axios = require('axios');
const Redis = require('ioredis');
const { pool } = require('../db'); // pg.Pool, max 5, statement_timeout 10s

const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 1000, maxRetriesPerRequest: 3 });
const octoprint = axios.create({ timeout: 8000 });

const LOCK_TTL_MS = 60_000;
const RELEASE_LOCK = `
  if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function backoffDelay(attempt, baseMs = 500, capMs = 30_000) {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(Math.random() * exp); // full jitter
}

async function claimNextJob(printerId) {
  const { rows } = await pool.query(
    `UPDATE print_jobs SET status = 'printing', printer_id = $1, started_at = now()
      WHERE id = (
        SELECT id FROM print_jobs
         WHERE status = 'queued' AND material = (SELECT loaded_material FROM printers WHERE id = $1)
         ORDER BY priority DESC, queued_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, gcode_url, owner_member_id`,
    [printerId],
  );
  return rows[0] ?? null;
}

async function sendToPrinter(printer, job, logger) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await octoprint.post(
        `${printer.base_url}/api/files/local`,
        { url: job.gcode_url, print: true },
        { headers: { 'X-Api-Key': printer.api_key } },
      );
      return;
    } catch (err) {
      logger.warn({ jobId: job.id, attempt, err: err.message }, 'octoprint upload failed');
      if (attempt === 4) throw err;
      await sleep(backoffDelay(attempt));
    }
  }
}

async function runOnce(printer, logger) {
  const lockKey = `printer:lock:${printer.id}`;
  const token = crypto.randomUUID();
  const acquired = await redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');
  if (!acquired) return false;

  try {
    const job = await claimNextJob(printer.id);
    if (!job) return false;
    try {
      await sendToPrinter(printer, job, logger);
    } catch (err) {
      await pool.query(
        "UPDATE print_jobs SET status = 'failed', error = $2 WHERE id = $1",
        [job.id, String(err.message).slice(0, 300)],
      );
      logger.error({ jobId: job.id, err }, 'giving up on print job');
      throw err;
    }
    return true;
  } finally {
    await redis.eval(RELEASE_LOCK, 1, lockKey, token);
  }
}

module.exports = { runOnce, claimNextJob, backoffDelay };
