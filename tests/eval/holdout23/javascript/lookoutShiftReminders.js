// worker/lookoutShiftReminders.js
// BullMQ worker for the wildfire lookout volunteer rota: texts each volunteer
// 12 h before their tower shift with a one-time link to confirm or ask for a
// swap, and purges confirmation links once they have expired.
const crypto = require('crypto');
const axios = require('axios');
const IORedis = require('ioredis');
const { Worker } = require('bullmq');
const db = require('../db'); // knex, pooled
const logger = require('../lib/logger');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });

const sms = axios.create({
  baseURL: process.env.SMS_API_URL,
  timeout: 8000,
  headers: { Authorization: `Bearer ${process.env.SMS_API_TOKEN}` },
});

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const LINK_TTL_HOURS = 14;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendSms(payload) {
  for (let attempt = 1; ; attempt++) {
    try {
      // Same reference on every attempt, so the provider drops duplicates.
      return await sms.post('/messages', payload, { headers: { 'Idempotency-Key': payload.reference } });
    } catch (err) {
      const status = err.response && err.response.status;
      const retryable = !status || status === 429 || status >= 500;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        logger.error({ err, reference: payload.reference, attempt }, 'sms send failed');
        throw err;
      }
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await sleep(Math.random() * ceiling); // exponential backoff, full jitter
    }
  }
}

async function sendShiftReminder(shiftId) {
  // Claim the reminder first so a re-delivered job can't text twice.
  const claimed = await db('tower_shifts')
    .where({ id: shiftId })
    .whereNull('reminder_sent_at')
    .update({ reminder_sent_at: db.fn.now() });
  if (claimed === 0) return { skipped: true };

  const shift = await db('tower_shifts as s')
    .join('volunteers as v', 'v.id', 's.volunteer_id')
    .join('lookout_towers as t', 't.id', 's.tower_id')
    .where('s.id', shiftId)
    .first('s.id', 's.starts_at', 'v.phone', 'v.first_name', 't.name as tower');

  const token = crypto.randomBytes(24).toString('base64url');
  await db('shift_confirm_links').insert({
    token_hash: crypto.createHash('sha256').update(token).digest('hex'),
    shift_id: shiftId,
    expires_at: db.raw(`now() + interval '${LINK_TTL_HOURS} hours'`),
  });

  try {
    await sendSms({
      to: shift.phone,
      reference: `shift-reminder-${shiftId}`,
      text: `Hi ${shift.first_name}, you're on ${shift.tower} at ${shift.starts_at.toISOString().slice(11, 16)}. Confirm or swap: ${process.env.PUBLIC_URL}/s/${token}`,
    });
  } catch (err) {
    // Release the claim so the retried job can try again.
    await db('tower_shifts').where({ id: shiftId }).update({ reminder_sent_at: null });
    throw err;
  }
  return { sent: true };
}

async function purgeExpiredLinks() {
  const deleted = await db('shift_confirm_links')
    .where('expires_at', '<', db.raw(`now() - interval '1 day'`))
    .del();
  logger.info({ deleted }, 'expired shift confirmation links purged');
  return { deleted };
}

const worker = new Worker(
  'lookout-reminders',
  async (job) => {
    if (job.name === 'shift-reminder') return sendShiftReminder(job.data.shiftId);
    if (job.name === 'purge-expired-links') return purgeExpiredLinks();
    throw new Error(`unknown job ${job.name}`);
  },
  { connection, concurrency: 5 },
);

worker.on('failed', (job, err) => logger.error({ err, jobId: job && job.id }, 'lookout reminder job failed'));

module.exports = { worker, sendShiftReminder, purgeExpiredLinks };
