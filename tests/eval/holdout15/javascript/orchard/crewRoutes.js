// orchard-ops/api/crews.js
// harvest crew scheduling + bin ticket reports. Exposed through AWS API Gateway (29s integration timeout)

const express = require('express');
const PDFDocument = require('pdfkit');
const QRCode = require('qrcode');
const db = require('../db'); // pg Pool

const r = express.Router();

// supervisor offers an open shift to a picker; picker has 2h to accept via SMS link
r.post('/blocks/:blockId/shift-offers', async (req, res, next) => {
  const { pickerId, shiftDate, startTime } = req.body;
  try {
    const { rows } = await db.query(
      `INSERT INTO shift_offers (block_id, picker_id, shift_date, start_time, token, expires_at)
       VALUES ($1, $2, $3, $4, encode(gen_random_bytes(16), 'hex'), now() + interval '2 hours')
       RETURNING id, token, expires_at`,
      [req.params.blockId, pickerId, shiftDate, startTime]
    );
    await req.app.locals.sms.send(pickerId, `Shift ${shiftDate} ${startTime}: reply or tap /o/${rows[0].token}`);
    res.status(201).json(rows[0]);
  } catch (e) { next(e); }
});

r.post('/o/:token/accept', async (req, res, next) => {
  try {
    const { rows } = await db.query(
      `UPDATE shift_offers SET accepted_at = now()
        WHERE token = $1 AND accepted_at IS NULL AND expires_at > now()
        RETURNING id, block_id, picker_id, shift_date`,
      [req.params.token]
    );
    if (!rows.length) return res.status(410).send('offer expired or already used');
    await db.query(
      'INSERT INTO crew_assignments (block_id, picker_id, shift_date, offer_id) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING',
      [rows[0].block_id, rows[0].picker_id, rows[0].shift_date, rows[0].id]
    );
    res.send('See you in the orchard!');
  } catch (e) { next(e); }
});

// season bin tickets for the packing house audit. one page per bin.
// typical season is 30-45k bins
r.get('/reports/:season/bin-tickets.pdf', async (req, res, next) => {
  try {
    const bins = await db.query(
      `SELECT b.id, b.tag, b.variety, b.block_id, b.picked_at, b.weight_kg, c.name AS crew
         FROM bins b JOIN crews c ON c.id = b.crew_id
        WHERE b.season = $1
        ORDER BY b.picked_at`,
      [req.params.season]
    );

    const doc = new PDFDocument({ size: 'A6', autoFirstPage: false });
    res.setHeader('Content-Type', 'application/pdf');
    doc.pipe(res);

    for (const bin of bins.rows) {
      const qr = await QRCode.toDataURL(`BIN:${bin.tag}`, { width: 160 });
      doc.addPage();
      doc.fontSize(16).text(`Bin ${bin.tag}`);
      doc.fontSize(10).text(`${bin.variety}  block ${bin.block_id}  crew ${bin.crew}`);
      doc.text(`${bin.picked_at.toISOString()}  ${bin.weight_kg} kg`);
      doc.image(qr, { fit: [160, 160] });
    }
    doc.end();
  } catch (e) { next(e); }
});

module.exports = r;
