// jobs/ciderPressJobs.js
// Background jobs for the community orchard's pressing days.
//  - releaseExpiredHolds: members can hold a pressing slot for 30 minutes while
//    they sort out transport for their apples; expired holds are deleted.
//  - sendPressDayReminders: one batched SMS the evening before each pressing day.
const cron = require('node-cron');
const { pool } = require('../db');
const log = require('../logger');

const HOLD_MINUTES = 30;
const DELETE_BATCH = 5000;
const REMINDER_LOCK_ID = 771203; // pg advisory lock key for the reminder job

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function createHold(slotId, memberId) {
  const { rows } = await pool.query(
    `INSERT INTO press_slot_holds (slot_id, member_id, expires_at)
     VALUES ($1, $2, now() + make_interval(mins => $3))
     ON CONFLICT (slot_id) DO UPDATE
       SET member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at
       WHERE press_slot_holds.expires_at < now()
     RETURNING id, expires_at`,
    [slotId, memberId, HOLD_MINUTES]
  );
  return rows[0] || null;
}

async function releaseExpiredHolds() {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM press_slot_holds
        WHERE id IN (SELECT id FROM press_slot_holds
                      WHERE expires_at < now()
                      LIMIT $1)`,
      [DELETE_BATCH]
    );
    total += rowCount;
    if (rowCount < DELETE_BATCH) break;
  }
  if (total > 0) log.info({ total }, 'released expired pressing holds');
}

// Exponential backoff with full jitter, capped delay and a fixed number of tries.
async function withBackoff(fn, { attempts = 5, baseMs = 500, maxMs = 15_000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= attempts) throw err;
      const delay = Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
      log.warn({ err: err.message, attempt, delay }, 'sms send failed, retrying');
      await sleep(delay);
    }
  }
}

async function sendBatchSms(messages) {
  const res = await fetch('https://api.textlocal.example/v2/messages/batch', {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.SMS_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sender: 'ORCHARD', messages }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`SMS gateway returned ${res.status}`);
}

async function sendPressDayReminders() {
  const client = await pool.connect();
  try {
    const { rows: [lock] } = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [REMINDER_LOCK_ID]);
    if (!lock.ok) return; // another pod is already sending

    try {
      // Tomorrow's pressing days with every booked member's mobile, in one query.
      const { rows: days } = await client.query(
        `SELECT d.id, d.location,
                array_agg(m.mobile) FILTER (WHERE m.mobile IS NOT NULL) AS mobiles
           FROM press_days d
           JOIN press_bookings b ON b.press_day_id = d.id
           JOIN members m ON m.id = b.member_id
          WHERE d.press_date = current_date + 1 AND d.reminder_sent_at IS NULL
          GROUP BY d.id
          LIMIT 10`
      );
      const messages = days.flatMap((day) =>
        (day.mobiles || []).map((to) => ({
          to,
          body: `Pressing tomorrow at ${day.location}. Bring clean buckets and your own bottles.`,
        }))
      );
      if (messages.length === 0) return;

      await withBackoff(() => sendBatchSms(messages));
      await client.query(
        'UPDATE press_days SET reminder_sent_at = now() WHERE id = ANY($1::int[])',
        [days.map((d) => d.id)]
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [REMINDER_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

function schedule() {
  cron.schedule('*/10 * * * *', () => releaseExpiredHolds().catch((err) => log.error({ err }, 'hold cleanup failed')));
  cron.schedule('0 18 * * *', () => sendPressDayReminders().catch((err) => log.error({ err }, 'reminders failed')));
}

module.exports = { schedule, createHold, releaseExpiredHolds, sendPressDayReminders };
