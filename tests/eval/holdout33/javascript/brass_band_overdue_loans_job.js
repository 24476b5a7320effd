// jobs/overdueInstrumentLoans.js
// Nightly job for the silver band's instrument library: finds cornets, horns and
// euphoniums that are past their return date and texts the player a reminder.
// Scheduled with node-cron inside the worker container (single instance).
const cron = require('node-cron');
const axios = require('axios');
const db = require('../db'); // shared pg Pool
const log = require('../lib/log');

const sms = axios.create({
  baseURL: process.env.SMS_GATEWAY_URL,
  timeout: 8000,
  headers: { Authorization: `Bearer ${process.env.SMS_GATEWAY_TOKEN}` },
});

const BATCH_SIZE = 300;

function reminderText(player, loan) {
  const due = loan.due_back.toISOString().slice(0, 10);
  return (
    `Hi ${player.first_name}, the band's ${loan.instrument_name} (serial ${loan.serial_no}) ` +
    `was due back on ${due}. Please bring it to Thursday rehearsal or reply to arrange a swap.`
  );
}

async function sendReminder(phone, text) {
  let attempt = 0;
  while (attempt < 4) {
    try {
      const { data } = await sms.post('/v1/messages', { to: phone, body: text, sender: 'SilverBand' });
      return data.message_id;
    } catch (err) {
      attempt += 1;
      log.warn({ phone, attempt, status: err.response && err.response.status }, 'sms send failed, retrying');
    }
  }
  throw new Error(`SMS to ${phone} failed after ${attempt} attempts`);
}

async function chaseOverdueLoans() {
  const { rows: loans } = await db.query(
    `SELECT l.id, l.player_id, l.due_back, i.name AS instrument_name, i.serial_no
       FROM instrument_loans l
       JOIN instruments i ON i.id = l.instrument_id
      WHERE l.returned_at IS NULL
        AND l.due_back < CURRENT_DATE
        AND (l.last_reminded_at IS NULL OR l.last_reminded_at < now() - interval '7 days')
      ORDER BY l.due_back
      LIMIT $1`,
    [BATCH_SIZE]
  );

  log.info({ count: loans.length }, 'overdue instrument loans to chase');
  const reminded = [];

  for (const loan of loans) {
    const { rows } = await db.query(
      'SELECT first_name, mobile, opted_out_sms FROM band_players WHERE id = $1',
      [loan.player_id]
    );
    const player = rows[0];
    if (!player || player.opted_out_sms || !player.mobile) {
      continue;
    }

    try {
      await sendReminder(player.mobile, reminderText(player, loan));
      reminded.push(loan.id);
    } catch (err) {
      log.error({ err, loanId: loan.id }, 'giving up on reminder for this loan');
    }
  }

  if (reminded.length > 0) {
    await db.query('UPDATE instrument_loans SET last_reminded_at = now() WHERE id = ANY($1::bigint[])', [reminded]);
  }
  log.info({ reminded: reminded.length }, 'overdue loan reminders sent');
}

cron.schedule('30 18 * * *', () => {
  chaseOverdueLoans().catch((err) => log.error({ err }, 'overdue loan job crashed'));
}, { timezone: 'Europe/London' });

module.exports = { chaseOverdueLoans, sendReminder };
