// jobs/scoutHutCalendarSync.js
// Scout hut hire: provisional holds and the job that mirrors bookings to the
// shared calendar the group leaders look at.

const axios = require('axios');
const { pool } = require('../db');
const logger = require('../logger');

const HOLD_HOURS = 48;

const calendar = axios.create({
  baseURL: process.env.HUT_CALENDAR_URL,
  timeout: 5000,
  headers: { Authorization: `Bearer ${process.env.HUT_CALENDAR_TOKEN}` },
});

/**
 * A hirer (a birthday party, a yoga class, another group) gets a provisional
 * hold while the deposit is paid. Holds lapse after 48 hours.
 */
async function createProvisionalHold({ hutId, hirerName, hirerEmail, startsAt, endsAt }) {
  const { rows } = await pool.query(
    `INSERT INTO hut_hire_holds (hut_id, hirer_name, hirer_email, starts_at, ends_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
     RETURNING id, expires_at`,
    [hutId, hirerName, hirerEmail, startsAt, endsAt, HOLD_HOURS]
  );
  return rows[0];
}

async function activeHoldsForHut(hutId, fromDate, toDate) {
  const { rows } = await pool.query(
    `SELECT id, hirer_name, starts_at, ends_at
       FROM hut_hire_holds
      WHERE hut_id = $1 AND expires_at > now()
        AND starts_at < $3 AND ends_at > $2
      ORDER BY starts_at
      LIMIT 200`,
    [hutId, fromDate, toDate]
  );
  return rows;
}

function toCalendarEvent(booking) {
  return {
    externalId: `hut-booking-${booking.id}`,
    title: `${booking.hirer_name} (hut hire)`,
    start: booking.starts_at,
    end: booking.ends_at,
  };
}

// The calendar accepts up to 100 events per batch upsert, keyed by externalId.
async function pushBatchToCalendar(bookings) {
  const events = bookings.map(toCalendarEvent);

  let lastErr;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      await calendar.post('/events:batchUpsert', { events });
      return;
    } catch (err) {
      lastErr = err;
      logger.warn({ count: events.length, attempt, status: err.response?.status }, 'calendar batch push failed');
    }
  }
  throw lastErr;
}

// Runs every 5 minutes from the worker's cron.
async function syncConfirmedBookings() {
  const { rows: bookings } = await pool.query(
    `SELECT id, hirer_name, starts_at, ends_at
       FROM hut_bookings
      WHERE status = 'confirmed' AND calendar_synced_at IS NULL
      ORDER BY id
      LIMIT 100`
  );
  if (bookings.length === 0) return 0;

  await pushBatchToCalendar(bookings);

  const ids = bookings.map((b) => b.id);
  await pool.query('UPDATE hut_bookings SET calendar_synced_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  logger.info({ count: ids.length }, 'hut bookings synced to calendar');
  return ids.length;
}

module.exports = { createProvisionalHold, activeHoldsForHut, syncConfirmedBookings };
