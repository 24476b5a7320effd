const express = require('express');
const { Op } = require('sequelize');
const { sequelize, Table, Reservation, Restaurant } = require('../models');
const payments = require('../services/payments');
const sms = require('../services/sms');

const router = express.Router();

// tables are held for 2h per booking
const SEATING_MINUTES = 120;

async function sendConfirmation(phone, text) {
  let lastErr;
  for (let i = 0; i < 5; i++) {
    try {
      return await sms.send({ to: phone, body: text });
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}

router.post('/restaurants/:restaurantId/reservations', async (req, res) => {
  const { restaurantId } = req.params;
  const { partySize, startsAt, name, phone } = req.body;
  const start = new Date(startsAt);
  const end = new Date(start.getTime() + SEATING_MINUTES * 60 * 1000);

  const restaurant = await Restaurant.findByPk(restaurantId);
  if (!restaurant) return res.status(404).json({ error: 'restaurant not found' });

  const tables = await Table.findAll({
    where: { restaurantId, seats: { [Op.gte]: partySize } },
    order: [['seats', 'ASC']],
  });

  // pick the smallest table that has no overlapping reservation
  const busy = await Reservation.findAll({
    attributes: ['tableId'],
    where: {
      tableId: tables.map((t) => t.id),
      status: { [Op.ne]: 'cancelled' },
      startsAt: { [Op.lt]: end },
      endsAt: { [Op.gt]: start },
    },
  });
  const busyIds = new Set(busy.map((r) => r.tableId));
  const chosen = tables.find((t) => !busyIds.has(t.id));
  if (!chosen) return res.status(409).json({ error: 'no table available for that time' });

  const reservation = await Reservation.create({
    restaurantId,
    tableId: chosen.id,
    partySize,
    startsAt: start,
    endsAt: end,
    guestName: name,
    guestPhone: phone,
    status: 'confirmed',
  });

  // large parties leave a card deposit
  if (partySize >= restaurant.depositPartySize) {
    try {
      await payments.authorizeDeposit({
        reservationId: reservation.id,
        amountCents: restaurant.depositCents * partySize,
        customerPhone: phone,
      });
    } catch (e) {}
  }

  await sendConfirmation(phone, `Table for ${partySize} at ${restaurant.name}, ${start.toLocaleString()}`);
  res.status(201).json({ id: reservation.id, table: chosen.number });
});

router.delete('/reservations/:id', async (req, res) => {
  const [count] = await Reservation.update(
    { status: 'cancelled' },
    { where: { id: req.params.id, guestPhone: req.query.phone } }
  );
  if (!count) return res.sendStatus(404);
  res.sendStatus(204);
});

module.exports = router;
