// crew-ops: monthly roster export for the scheduling office
// NOTE: sits behind nginx (proxy_read_timeout 30s) like the rest of crew-ops
var express = require('express');
var pg = require('pg');
var PDFDocument = require('pdfkit');

var router = express.Router();

function attachCrewNames(client, duties) {
  var out = [];
  return duties.reduce(function (p, d) {
    return p.then(function () {
      return client
        .query('SELECT first_name, last_name, base, rank FROM crew_members WHERE id = $1', [d.crew_id])
        .then(function (r) {
          out.push(Object.assign({}, d, r.rows[0]));
        });
    });
  }, Promise.resolve()).then(function () { return out; });
}

function renderRosterPdf(doc, duties) {
  var byCrew = {};
  duties.forEach(function (d) {
    (byCrew[d.crew_id] = byCrew[d.crew_id] || []).push(d);
  });
  Object.keys(byCrew).forEach(function (crewId, i) {
    if (i > 0) doc.addPage();
    var rows = byCrew[crewId];
    doc.fontSize(14).text(rows[0].rank + ' ' + rows[0].last_name + ', ' + rows[0].first_name + ' (' + rows[0].base + ')');
    rows.forEach(function (d) {
      doc.fontSize(9).text(
        d.duty_date.toISOString().slice(0, 10) + '  ' + d.pairing_code + '  ' +
        d.report_time + '-' + d.release_time + '  ' + d.block_minutes + ' blk'
      );
    });
  });
}

// GET /exports/roster.pdf?month=2025-03
router.get('/exports/roster.pdf', function (req, res, next) {
  var month = req.query.month;
  if (!/^\d{4}-\d{2}$/.test(month)) return res.status(400).send('month=YYYY-MM');

  var client = new pg.Client({ connectionString: process.env.CREW_DB_URL });
  client.connect()
    .then(function () {
      return client.query(
        "SELECT crew_id, duty_date, pairing_code, report_time, release_time, block_minutes " +
        "FROM duty_assignments WHERE to_char(duty_date, 'YYYY-MM') = $1 ORDER BY crew_id, duty_date",
        [month]
      );
    })
    .then(function (r) { return attachCrewNames(client, r.rows); })
    .then(function (duties) {
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', 'attachment; filename="roster-' + month + '.pdf"');
      var doc = new PDFDocument({ size: 'A4', margin: 36 });
      doc.pipe(res);
      renderRosterPdf(doc, duties);
      doc.end();
    })
    .catch(next)
    .then(function () { return client.end(); });
});

module.exports = router;
