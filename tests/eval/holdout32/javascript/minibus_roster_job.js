// jobs/sendDriverRoster.js
// Every evening at 18:00 each volunteer driver gets a text with tomorrow's runs
// (day-centre shuttle, Thursday market run, hospital appointments).
const cron = require('node-cron');
const { pool } = require('../db');
const logger = require('../logger');

const SMS_API = process.env.SMS_API_URL;
const MAX_ATTEMPTS = 4;
const SCHEME_ID = Number(process.env.SCHEME_ID);

async function sendSmsBatch(messages) {
  const res = await fetch(`${SMS_API}/messages/batch`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${process.env.SMS_API_KEY}`,
    },
    body: JSON.stringify({ sender: 'Minibus', messages }),
  });
  if (!res.ok) {
    throw new Error(`sms provider returned ${res.status}`);
  }
  return res.json();
}

async function sendWithRetry(messages) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await sendSmsBatch(messages);
    } catch (err) {
      logger.warn({ err, count: messages.length, attempt }, 'roster sms batch failed');
      if (attempt === MAX_ATTEMPTS) throw err;
    }
  }
}

function formatRuns(runs) {
  return runs
    .map((r) => `${r.depart_at.slice(0, 5)} ${r.route_name} (${r.vehicle_reg}), ${r.passenger_count} booked`)
    .join('\n');
}

async function sendTomorrowsRosters(schemeId) {
  // One query for all drivers' runs; grouped in memory below.
  const { rows } = await pool.query(
    `SELECT d.id AS driver_id, d.first_name, d.mobile,
            r.depart_at::text AS depart_at, rt.name AS route_name, v.registration AS vehicle_reg,
            (SELECT count(*) FROM run_passengers p WHERE p.run_id = r.id) AS passenger_count
       FROM roster_runs r
       JOIN drivers d ON d.id = r.driver_id
       JOIN routes rt ON rt.id = r.route_id
       JOIN vehicles v ON v.id = r.vehicle_id
      WHERE r.scheme_id = $1 AND r.run_date = current_date + 1
      ORDER BY d.id, r.depart_at`,
    [schemeId]
  );

  const byDriver = new Map();
  for (const row of rows) {
    if (!byDriver.has(row.driver_id)) byDriver.set(row.driver_id, { driver: row, runs: [] });
    byDriver.get(row.driver_id).runs.push(row);
  }

  const messages = [...byDriver.values()].map(({ driver, runs }) => ({
    to: driver.mobile,
    body: `Hi ${driver.first_name}, your runs tomorrow:\n${formatRuns(runs)}`,
  }));
  if (messages.length === 0) return 0;
  await sendWithRetry(messages);
  return messages.length;
}

cron.schedule('0 18 * * *', async () => {
  try {
    const sent = await sendTomorrowsRosters(SCHEME_ID);
    logger.info({ schemeId: SCHEME_ID, sent }, 'driver rosters sent');
  } catch (err) {
    logger.error({ err, schemeId: SCHEME_ID }, 'roster run failed');
  }
}, { timezone: 'Europe/London' });

module.exports = { sendTomorrowsRosters };
