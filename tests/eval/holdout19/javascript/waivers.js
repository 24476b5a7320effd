// shop-admin/routes/waivers.js
// ski rental back office. sits behind the shop nginx (proxy_read_timeout 30s)
var express = require('express');
var pg = require('pg');
var archiver = require('archiver');
var renderWaiverPdf = require('../lib/waiverPdf'); // puppeteer, ~300ms per waiver

var router = express.Router();

// ISO 11088 skier type multipliers - loaded once, never changes
var SKIER_TYPE = { '-1': 0.85, '1': 1.0, '2': 1.15, '3': 1.3, '3+': 1.45 };

function dinFor(weightKg, heightCm, bootSoleMm, type) {
  var code = Math.min(Math.floor(weightKg / 10), Math.floor(heightCm / 15));
  var base = [0.75, 1, 1.5, 1.75, 2.25, 2.75, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5][Math.max(0, code - 1)] || 3;
  if (bootSoleMm > 330) base = base * 0.9;
  return Math.round(base * (SKIER_TYPE[type] || 1) * 4) / 4;
}

router.get('/admin/fittings/:id', function (req, res, next) {
  var client = new pg.Client({ connectionString: process.env.SHOP_DB });
  client.connect()
    .then(function () {
      return client.query(
        'SELECT f.*, c.name, c.weight_kg, c.height_cm, c.skier_type FROM fittings f JOIN customers c ON c.id = f.customer_id WHERE f.id = $1',
        [req.params.id]
      );
    })
    .then(function (r) {
      if (!r.rows.length) return res.sendStatus(404);
      var f = r.rows[0];
      f.din = dinFor(f.weight_kg, f.height_cm, f.boot_sole_mm, f.skier_type);
      res.json(f);
    })
    .catch(next)
    .finally(function () { client.end(); });
});

// end of season: every signed waiver + DIN sheet as one zip for the insurer
// (~9k fittings last season)
router.get('/admin/seasons/:season/waivers.zip', function (req, res, next) {
  var client = new pg.Client({ connectionString: process.env.SHOP_DB });
  client.connect()
    .then(function () {
      return client.query(
        'SELECT f.*, c.name, c.weight_kg, c.height_cm, c.skier_type FROM fittings f JOIN customers c ON c.id = f.customer_id WHERE f.season = $1 ORDER BY f.id',
        [req.params.season]
      );
    })
    .then(async function (result) {
      res.attachment('waivers-' + req.params.season + '.zip');
      var zip = archiver('zip');
      zip.pipe(res);
      for (var i = 0; i < result.rows.length; i++) {
        var row = result.rows[i];
        row.din = dinFor(row.weight_kg, row.height_cm, row.boot_sole_mm, row.skier_type);
        var pdf = await renderWaiverPdf(row);
        zip.append(pdf, { name: row.season + '/' + row.id + '-' + row.name.replace(/\W+/g, '_') + '.pdf' });
      }
      await zip.finalize();
    })
    .catch(next)
    .finally(function () { client.end(); });
});

module.exports = router;
