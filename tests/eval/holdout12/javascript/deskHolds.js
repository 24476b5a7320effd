// routes/deskHolds.js
// desk hold + confirm flow for the day-pass checkout
var express = require('express');
var pg = require('pg');
var config = require('../config');
var auth = require('../lib/auth');

var router = express.Router();
var pool = new pg.Pool({ connectionString: config.dbUrl, max: 10 });

router.use(auth.member);

// free desks for a location + day
router.get('/locations/:locId/desks', function (req, res, next) {
  var sql =
    'SELECT d.id, d.label, d.zone, d.has_monitor FROM desks d ' +
    'WHERE d.location_id = $1 AND d.active ' +
    'AND NOT EXISTS (SELECT 1 FROM desk_bookings b WHERE b.desk_id = d.id AND b.day = $2) ' +
    'AND NOT EXISTS (SELECT 1 FROM desk_holds h WHERE h.desk_id = d.id AND h.day = $2 AND h.hold_until > now()) ' +
    'ORDER BY d.zone, d.label';
  pool.query(sql, [req.params.locId, req.query.day], function (err, r) {
    if (err) return next(err);
    res.json(r.rows);
  });
});

// hold a desk for 15 min while the member pays for the day pass
router.post('/locations/:locId/desks/:deskId/hold', function (req, res, next) {
  var deskId = req.params.deskId;
  var day = req.body.day; // YYYY-MM-DD
  var memberId = req.session.memberId;

  pool.query('SELECT id FROM desk_holds WHERE desk_id = $1 AND day = $2 AND hold_until > now() UNION ALL SELECT id FROM desk_bookings WHERE desk_id = $1 AND day = $2', [deskId, day], function (err, r) {
    if (err) return next(err);
    if (r.rows.length > 0) {
      return res.status(409).json({ error: 'desk already taken for that day' });
    }
    pool.query(
      "INSERT INTO desk_holds (desk_id, member_id, day, hold_until) VALUES ($1, $2, $3, now() + interval '15 minutes') RETURNING id, hold_until",
      [deskId, memberId, day],
      function (err2, ins) {
        if (err2) return next(err2);
        res.status(201).json(ins.rows[0]);
      }
    );
  });
});

// called by the checkout page after the card payment succeeded
router.post('/holds/:holdId/confirm', function (req, res, next) {
  var memberId = req.session.memberId;
  pool.query(
    'UPDATE desk_holds SET confirmed_at = now() WHERE id = $1 AND member_id = $2 AND hold_until > now() AND confirmed_at IS NULL RETURNING desk_id, day',
    [req.params.holdId, memberId],
    function (err, r) {
      if (err) return next(err);
      if (r.rowCount === 0) return res.status(410).json({ error: 'hold expired' });
      var h = r.rows[0];
      pool.query(
        'INSERT INTO desk_bookings (desk_id, member_id, day, source) VALUES ($1, $2, $3, $4) RETURNING id',
        [h.desk_id, memberId, h.day, 'day_pass'],
        function (err2, b) {
          if (err2) return next(err2);
          res.json({ bookingId: b.rows[0].id });
        }
      );
    }
  );
});

// member's own bookings
router.get('/me/bookings', function (req, res, next) {
  pool.query(
    'SELECT b.id, b.day, d.label, l.name AS location FROM desk_bookings b JOIN desks d ON d.id = b.desk_id JOIN locations l ON l.id = d.location_id WHERE b.member_id = $1 AND b.day >= current_date ORDER BY b.day LIMIT 60',
    [req.session.memberId],
    function (err, r) {
      if (err) return next(err);
      res.json(r.rows);
    }
  );
});

module.exports = router;
