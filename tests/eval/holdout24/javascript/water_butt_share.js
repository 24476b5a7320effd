// Allotment water-butt sharing for the Fernside Allotment Association.
// Plot holders reserve a one-hour refill slot on one of the shared butts.
const express = require('express');
const { Client } = require('pg');
const { authenticatePlotHolder } = require('./auth');

const app = express();
app.use(express.json());
app.use(authenticatePlotHolder);

const MAX_LITRES_PER_SLOT = 200;
const OPEN_HOURS = { first: 7, last: 19 };

async function withDb(fn) {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 3000,
    statement_timeout: 5000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function validSlot(date, hour) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const h = Number(hour);
  return Number.isInteger(h) && h >= OPEN_HOURS.first && h <= OPEN_HOURS.last;
}

// GET /butts/:buttId/slots?date=2024-06-14  -> who has which hour on that day
app.get('/butts/:buttId/slots', async (req, res, next) => {
  const { date } = req.query;
  if (!validSlot(date, OPEN_HOURS.first)) return res.status(400).json({ error: 'bad date' });
  try {
    const rows = await withDb(async (db) => {
      const r = await db.query(
        `SELECT slot_hour, plot_number, litres
           FROM butt_slots
          WHERE butt_id = $1 AND slot_date = $2
          ORDER BY slot_hour
          LIMIT 24`,
        [req.params.buttId, date],
      );
      return r.rows;
    });
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// POST /butts/:buttId/slots  { date, hour, litres }
app.post('/butts/:buttId/slots', async (req, res, next) => {
  const { date, hour, litres = 100 } = req.body;
  const plotNumber = req.plotHolder.plotNumber;
  if (!validSlot(date, hour)) return res.status(400).json({ error: 'slot outside opening hours' });
  if (litres <= 0 || litres > MAX_LITRES_PER_SLOT) {
    return res.status(400).json({ error: `litres must be 1-${MAX_LITRES_PER_SLOT}` });
  }

  try {
    const outcome = await withDb(async (db) => {
      const taken = await db.query(
        'SELECT plot_number FROM butt_slots WHERE butt_id = $1 AND slot_date = $2 AND slot_hour = $3',
        [req.params.buttId, date, hour],
      );
      if (taken.rowCount > 0) {
        return { conflict: true, holder: taken.rows[0].plot_number };
      }
      await db.query(
        `INSERT INTO butt_slots (butt_id, slot_date, slot_hour, plot_number, litres)
         VALUES ($1, $2, $3, $4, $5)`,
        [req.params.buttId, date, hour, plotNumber, litres],
      );
      return { conflict: false };
    });

    if (outcome.conflict) {
      return res.status(409).json({ error: `already reserved by plot ${outcome.holder}` });
    }
    res.status(201).json({ buttId: req.params.buttId, date, hour, plotNumber, litres });
  } catch (err) {
    next(err);
  }
});

app.listen(process.env.PORT || 3000);
