// routes/appointments.js  (vet clinic booking - old express app)
const express = require('express');
const { Client } = require('pg');
const sms = require('../lib/sms');

const router = express.Router();

// POST /appointments  { vetId, petId, slotStart }
router.post('/appointments', async (req, res) => {
  const { vetId, petId, slotStart } = req.body;
  if (!vetId || !petId || !slotStart) return res.status(400).send('missing fields');

  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const taken = await client.query(
      "SELECT id FROM appointments WHERE vet_id = $1 AND slot_start = $2 AND status <> 'cancelled'",
      [vetId, slotStart]
    );
    if (taken.rows.length > 0) {
      return res.status(409).json({ error: 'slot already booked' });
    }
    const ins = await client.query(
      "INSERT INTO appointments (vet_id, pet_id, slot_start, status) VALUES ($1, $2, $3, 'booked') RETURNING id",
      [vetId, petId, slotStart]
    );
    res.status(201).json({ id: ins.rows[0].id });
  } finally {
    await client.end();
  }
});

// POST /appointments/:id/remind  - front desk button
router.post('/appointments/:id/remind', async (req, res) => {
  const conn = new Client({ connectionString: process.env.DATABASE_URL });
  await conn.connect();
  const { rows } = await conn.query(
    `SELECT a.slot_start, p.name AS pet_name, o.phone
       FROM appointments a
       JOIN pets p ON p.id = a.pet_id
       JOIN owners o ON o.id = p.owner_id
      WHERE a.id = $1`,
    [req.params.id]
  );
  await conn.end();
  if (!rows.length) return res.sendStatus(404);

  const appt = rows[0];
  try {
    await sms.send(appt.phone, `Reminder: ${appt.pet_name} is booked for ${appt.slot_start.toLocaleString()}`);
    await sms.logSent(req.params.id);
  } catch (e) {
    // sms gateway is flaky, don't bother the front desk
  }
  res.json({ ok: true });
});

module.exports = router;
