// jobs/netsReminders.js
// Evening job: text members a reminder about tomorrow's nets sessions at the
// Little Ashby Cricket Club ground. Scheduled on every app instance by node-cron;
// a Redis lock makes sure only one instance actually sends.

const crypto = require('crypto');
const axios = require('axios');
const Redis = require('ioredis');
const db = require('../db/knex');
const logger = require('../logger');

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3, connectTimeout: 5000, commandTimeout: 2000 });

const sms = axios.create({
  baseURL: process.env.SMS_API_URL,
  timeout: 8000,
  headers: { authorization: `Bearer ${process.env.SMS_API_TOKEN}` },
});

const LOCK_KEY = 'lock:nets-reminders';
const LOCK_TTL_MS = 10 * 60_000;
const PAGE_SIZE = 100; // the SMS provider accepts up to 100 messages per batch call

const RELEASE_LOCK = `
if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
end
return 0`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isRetryable(err) {
  const status = err.response && err.response.status;
  return !status || status === 429 || status >= 500;
}

async function withRetry(fn, { attempts = 5, baseMs = 500, capMs = 15_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      const delay = Math.random() * Math.min(capMs, baseMs * 2 ** attempt); // full jitter
      logger.warn({ attempt, delay, err: err.message }, 'sms batch failed, retrying');
      await sleep(delay);
    }
  }
}

async function sendBatch(bookings) {
  const messages = bookings.map((b) => ({
    to: b.mobile,
    body: `Nets reminder: lane ${b.lane} tomorrow at ${b.starts_at.slice(11, 16)}. Reply STOP to opt out.`,
    client_ref: `nets-${b.id}`, // provider drops repeats of the same client_ref
  }));
  await withRetry(() => sms.post('/v1/messages/batch', { messages }));
  await db('nets_bookings').whereIn('id', bookings.map((b) => b.id)).update({ reminder_sent_at: db.fn.now() });
}

async function runNetsReminders(tomorrow) {
  const token = crypto.randomUUID();
  const acquired = await redis.set(LOCK_KEY, token, 'PX', LOCK_TTL_MS, 'NX');
  if (!acquired) {
    logger.info('nets reminders already running elsewhere');
    return;
  }

  try {
    let lastId = 0;
    for (;;) {
      const page = await db('nets_bookings as nb')
        .join('members as m', 'm.id', 'nb.member_id')
        .where('nb.session_date', tomorrow)
        .whereNull('nb.reminder_sent_at')
        .where('m.sms_opt_in', true)
        .where('nb.id', '>', lastId)
        .orderBy('nb.id')
        .limit(PAGE_SIZE)
        .select('nb.id', 'nb.lane', 'nb.starts_at', 'm.mobile');
      if (page.length === 0) break;

      await sendBatch(page);
      lastId = page[page.length - 1].id;
    }
  } catch (err) {
    logger.error({ err }, 'nets reminders run failed');
    throw err;
  } finally {
    await redis.eval(RELEASE_LOCK, 1, LOCK_KEY, token);
  }
}

module.exports = { runNetsReminders };
