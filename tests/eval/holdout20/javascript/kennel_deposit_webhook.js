// Payment provider webhook for kennel boarding deposits.
// The provider signs each delivery and redelivers until it gets a 2xx.
const express = require('express');
const crypto = require('crypto');
const axios = require('axios');
const db = require('../db'); // shared pg Pool
const logger = require('../lib/logger');

const router = express.Router();

const SMS_URL = process.env.SMS_GATEWAY_URL;
const SMS_ATTEMPTS = 4;

function verifySignature(rawBody, header, secret) {
  if (!header) return false;
  const [tsPart, sigPart] = header.split(',');
  const timestamp = tsPart.replace('t=', '');
  const expected = crypto
    .createHmac('sha256', secret)
    .update(`${timestamp}.${rawBody}`)
    .digest('hex');
  const given = sigPart.replace('v1=', '');
  return given.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

async function textOwner(phone, message) {
  for (let attempt = 1; attempt <= SMS_ATTEMPTS; attempt++) {
    try {
      await axios.post(SMS_URL, { to: phone, body: message }, { timeout: 5000 });
      return true;
    } catch (err) {
      logger.warn({ attempt, status: err.response && err.response.status }, 'sms send failed');
    }
  }
  logger.error({ phone }, 'sms gave up after retries');
  return false;
}

router.post('/webhooks/deposits', express.raw({ type: 'application/json' }), async (req, res) => {
  const rawBody = req.body.toString('utf8');
  if (!verifySignature(rawBody, req.get('Provider-Signature'), process.env.DEPOSIT_WEBHOOK_SECRET)) {
    return res.status(400).send('bad signature');
  }

  const event = JSON.parse(rawBody);
  if (event.type !== 'payment.succeeded') {
    return res.status(200).json({ ignored: event.type });
  }

  const { stay_id: stayId } = event.data.metadata;
  const amountCents = event.data.amount;

  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `UPDATE boarding_stays
          SET deposit_paid_cents = deposit_paid_cents + $1,
              status = CASE WHEN deposit_paid_cents + $1 >= deposit_due_cents THEN 'confirmed' ELSE status END
        WHERE id = $2
        RETURNING owner_phone, dog_name, check_in_date, status`,
      [amountCents, stayId]
    );
    await client.query(
      `INSERT INTO kennel_ledger (stay_id, kind, amount_cents, provider_ref)
       VALUES ($1, 'deposit', $2, $3)`,
      [stayId, amountCents, event.data.id]
    );
    await client.query('COMMIT');

    const stay = rows[0];
    if (stay && stay.status === 'confirmed') {
      await textOwner(
        stay.owner_phone,
        `${stay.dog_name}'s stay from ${stay.check_in_date} is confirmed. See you soon!`
      );
    }
    res.status(200).json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, stayId }, 'deposit webhook failed');
    res.status(500).json({ error: 'processing failed' });
  } finally {
    client.release();
  }
});

module.exports = router;
