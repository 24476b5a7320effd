// controllers/holds.js -- car rental: hold a vehicle while the customer finishes checkout
const express = require('express');
const knex = require('../knex');
const router = express.Router();

const HOLD_MINUTES = 15;

// branch pricing rules, looked up a lot -> keep in memory
const priceCache = {};

async function dailyRate(branchId, vehicleClass, day) {
  const key = branchId + ':' + vehicleClass + ':' + day;
  if (priceCache[key] !== undefined) return priceCache[key];
  const row = await knex('branch_rates')
    .where({ branch_id: branchId, vehicle_class: vehicleClass })
    .andWhere('valid_from', '<=', day)
    .orderBy('valid_from', 'desc')
    .first('daily_cents');
  priceCache[key] = row ? row.daily_cents : null;
  return priceCache[key];
}

router.post('/vehicles/:vehicleId/hold', async (req, res, next) => {
  const { vehicleId } = req.params;
  const { pickupDate, returnDate, customerId } = req.body;
  try {
    const held = await knex.transaction(async (trx) => {
      // lock vehicle row so two customers can't hold it at once
      const vehicle = await trx('vehicles').where({ id: vehicleId }).forUpdate().first();
      if (!vehicle) return null;
      const clash = await trx('vehicle_holds')
        .where({ vehicle_id: vehicleId, released: false })
        .andWhere('hold_until', '>', knex.fn.now())
        .first();
      if (clash) return null;
      const [hold] = await trx('vehicle_holds')
        .insert({ vehicle_id: vehicleId, customer_id: customerId, pickup_date: pickupDate, return_date: returnDate,
                  hold_until: knex.raw(`now() + interval '${HOLD_MINUTES} minutes'`) })
        .returning(['id', 'hold_until']);
      return { hold, vehicle };
    });
    if (!held) return res.status(409).json({ error: 'vehicle unavailable' });

    const rate = await dailyRate(held.vehicle.branch_id, held.vehicle.vehicle_class, pickupDate);
    res.status(201).json({ holdId: held.hold.id, expiresAt: held.hold.hold_until, dailyCents: rate });
  } catch (e) {
    next(e);
  }
});

router.delete('/holds/:holdId', async (req, res, next) => {
  try {
    await knex('vehicle_holds').where({ id: req.params.holdId, customer_id: req.user.id }).update({ released: true });
    res.status(204).end();
  } catch (e) {
    next(e);
  }
});

module.exports = router;
