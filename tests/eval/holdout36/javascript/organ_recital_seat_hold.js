// Church organ recital series — seat holds while a visitor completes the donation form.
// db is the shared Knex instance (pool min 2 / max 10, acquireConnectionTimeout 10s).
const db = require('../db/knex');
const cron = require('node-cron');
const logger = require('../lib/logger');

const HOLD_MINUTES = 10;

async function listSeats(recitalId) {
  // A recital has at most ~220 seats (nave + gallery).
  return db('recital_seats')
    .select('id', 'section', 'row_label', 'seat_number', 'price_band')
    .select(db.raw('(held_by IS NOT NULL AND hold_expires_at > now()) OR sold AS unavailable'))
    .where({ recital_id: recitalId })
    .orderBy(['section', 'row_label', 'seat_number'])
    .limit(400);
}

// Claims the seat only if nobody holds it (or their hold has lapsed) in a single statement.
async function holdSeat(recitalId, seatId, visitorId) {
  const updated = await db('recital_seats')
    .where({ id: seatId, recital_id: recitalId, sold: false })
    .andWhere((q) => q.whereNull('held_by').orWhere('hold_expires_at', '<', db.fn.now()))
    .update({
      held_by: visitorId,
      hold_expires_at: db.raw(`now() + interval '${HOLD_MINUTES} minutes'`),
    });

  if (updated !== 1) {
    return { ok: false, reason: 'seat is no longer available' };
  }
  return { ok: true, expiresInMinutes: HOLD_MINUTES };
}

async function releaseSeat(recitalId, seatId, visitorId) {
  await db('recital_seats')
    .where({ id: seatId, recital_id: recitalId, held_by: visitorId, sold: false })
    .update({ held_by: null, hold_expires_at: null });
}

// Express wiring (mounted under /recitals); req.visitorId comes from the signed visitor cookie.
function registerRoutes(router) {
  router.get('/:recitalId/seats', async (req, res, next) => {
    try {
      res.json(await listSeats(req.params.recitalId));
    } catch (err) {
      next(err);
    }
  });

  router.post('/:recitalId/seats/:seatId/hold', async (req, res, next) => {
    try {
      const result = await holdSeat(req.params.recitalId, req.params.seatId, req.visitorId);
      res.status(result.ok ? 200 : 409).json(result);
    } catch (err) {
      next(err);
    }
  });

  router.delete('/:recitalId/seats/:seatId/hold', async (req, res, next) => {
    try {
      await releaseSeat(req.params.recitalId, req.params.seatId, req.visitorId);
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });
}

// Lapsed holds are already ignored by holdSeat; this clears them so the seat map and the
// box-office report stay tidy. Runs in the worker process only.
async function clearLapsedHolds() {
  const cleared = await db('recital_seats')
    .where('hold_expires_at', '<', db.fn.now())
    .andWhere({ sold: false })
    .update({ held_by: null, hold_expires_at: null });
  if (cleared > 0) logger.info({ cleared }, 'cleared lapsed recital seat holds');
}

function scheduleHoldCleanup() {
  cron.schedule('*/5 * * * *', () => {
    clearLapsedHolds().catch((err) => logger.error({ err }, 'clearing lapsed holds failed'));
  });
}

module.exports = { listSeats, holdSeat, releaseSeat, registerRoutes, scheduleHoldCleanup };
