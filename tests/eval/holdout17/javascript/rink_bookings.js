// routes/bookings.js  -- ice time booking for the two rinks (Rink A / Rink B)
// old express app, ask Dale before changing the slot rules
var express = require('express');
var router = express.Router();
var db = require('../db'); // pg Pool, see db/index.js
var requireLogin = require('../middleware/requireLogin');

router.use(requireLogin);

// admin grid: every booking ever made, newest first
router.get('/bookings', function (req, res, next) {
  db.query('SELECT b.id, b.slot_id, b.team_name, b.booked_by, b.created_at, s.starts_at, s.rink FROM bookings b JOIN ice_slots s ON s.id = b.slot_id ORDER BY s.starts_at DESC')
    .then(function (r) { res.json(r.rows); })
    .catch(next);
});

// open slots for one day (date=YYYY-MM-DD)
router.get('/slots', function (req, res, next) {
  var day = req.query.date;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return res.status(400).send('bad date');
  db.query(
    "SELECT s.id, s.rink, s.starts_at, s.ends_at, s.price_cents FROM ice_slots s " +
    "LEFT JOIN bookings b ON b.slot_id = s.id " +
    "WHERE s.starts_at >= $1::date AND s.starts_at < $1::date + interval '1 day' AND b.id IS NULL " +
    "ORDER BY s.rink, s.starts_at", [day])
    .then(function (r) { res.json(r.rows); })
    .catch(next);
});

// book a slot for a team
router.post('/slots/:slotId/book', async function (req, res, next) {
  var slotId = parseInt(req.params.slotId, 10);
  var team = (req.body.team_name || '').trim();
  if (!team) return res.status(400).send('team_name required');
  try {
    var existing = await db.query('SELECT id FROM bookings WHERE slot_id = $1', [slotId]);
    if (existing.rows.length > 0) {
      return res.status(409).send('slot already booked');
    }
    var ins = await db.query(
      'INSERT INTO bookings (slot_id, team_name, booked_by) VALUES ($1, $2, $3) RETURNING id',
      [slotId, team, req.user.id]
    );
    res.status(201).json({ id: ins.rows[0].id });
  } catch (e) {
    next(e);
  }
});

// cancel (only your own booking, not within 24h)
router.delete('/bookings/:id', async function (req, res, next) {
  try {
    var r = await db.query(
      "DELETE FROM bookings b USING ice_slots s WHERE b.id = $1 AND b.booked_by = $2 " +
      "AND s.id = b.slot_id AND s.starts_at > now() + interval '24 hours' RETURNING b.id",
      [req.params.id, req.user.id]
    );
    if (r.rowCount === 0) return res.status(404).send('not found or too late to cancel');
    res.sendStatus(204);
  } catch (e) {
    next(e);
  }
});

module.exports = router;
