// Community fridge: the partner food-sharing app calls us when a shop logs a donation
// drop-off at one of our fridges. We record the items, bump the fridge's stock count
// and text the volunteers on the cleaning rota for that fridge.
const crypto = require('crypto');
const express = require('express');
const axios = require('axios');
const knex = require('../db/knex');
const logger = require('../logger');

const router = express.Router();

const sms = axios.create({
  baseURL: process.env.SMS_GATEWAY_URL,
  timeout: 5000,
  headers: { Authorization: `Bearer ${process.env.SMS_GATEWAY_TOKEN}` },
});

function verifySignature(rawBody, header) {
  const expected = crypto
    .createHmac('sha256', process.env.PARTNER_WEBHOOK_SECRET)
    .update(rawBody)
    .digest('hex');
  const given = Buffer.from(header || '', 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

async function textRotaVolunteers(fridgeId, itemCount) {
  const volunteers = await knex('rota_shifts')
    .join('volunteers', 'volunteers.id', 'rota_shifts.volunteer_id')
    .where('rota_shifts.fridge_id', fridgeId)
    .andWhere('rota_shifts.shift_date', knex.raw('current_date'))
    .select('volunteers.phone');
  if (volunteers.length === 0) return;
  await sms.post('/batch', {
    to: volunteers.map((v) => v.phone),
    body: `${itemCount} new items just dropped at the fridge - please check dates when you pass.`,
  });
}

router.post('/webhooks/food-partner', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!verifySignature(req.body, req.get('X-Partner-Signature'))) {
    return res.status(401).send('bad signature');
  }
  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'donation.logged') {
    return res.status(200).send('ignored');
  }

  const { fridge_ref: fridgeRef, donor_name: donorName, items } = event.data;
  const fridge = await knex('fridges').where({ partner_ref: fridgeRef }).first('id', 'network_id');
  if (!fridge) {
    logger.warn({ fridgeRef }, 'donation for unknown fridge');
    return res.status(200).send('unknown fridge');
  }

  await knex.transaction(async (trx) => {
    await trx('donations').insert(
      items.map((item) => ({
        fridge_id: fridge.id,
        network_id: fridge.network_id,
        donor_name: donorName,
        description: item.description,
        quantity: item.quantity,
        use_by: item.use_by,
      }))
    );
    const total = items.reduce((sum, item) => sum + item.quantity, 0);
    await trx('fridges').where({ id: fridge.id }).increment('item_count', total);
  });

  try {
    await textRotaVolunteers(fridge.id, items.length);
  } catch (err) {
    // volunteers also see new items on the rota app
  }

  res.status(200).send('ok');
});

module.exports = router;
