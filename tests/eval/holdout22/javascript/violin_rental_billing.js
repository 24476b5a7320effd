// billing/webhooks.js — violin rental fleet
// The payment provider calls us when a monthly rental invoice is paid or fails.
// A paid invoice pushes the rental's paid-through date forward by one month and
// counts towards rent-to-own equity.

const express = require("express");
const { sequelize, Rental, RentalPayment } = require("../models");
const { verifySignature } = require("./signature");
const mailer = require("../mailer");

const router = express.Router();

// Rent-to-own: 60% of each monthly payment is credited towards purchase.
const EQUITY_SHARE = 0.6;

function addOneMonth(date) {
  const d = new Date(date);
  d.setMonth(d.getMonth() + 1);
  return d;
}

async function sendReceipt(rental, amountCents) {
  try {
    await mailer.send({
      to: rental.customerEmail,
      template: "rental-receipt",
      data: {
        instrument: rental.instrumentLabel,
        amount: (amountCents / 100).toFixed(2),
        paidThrough: rental.paidThrough.toISOString().slice(0, 10),
      },
    });
  } catch (e) {
    return null;
  }
}

router.post(
  "/webhooks/payments",
  express.raw({ type: "application/json" }),
  async function handlePaymentWebhook(req, res) {
    if (!verifySignature(req.body, req.get("X-Provider-Signature"))) {
      return res.status(400).send("bad signature");
    }
    const event = JSON.parse(req.body.toString("utf8"));

    if (event.type === "invoice.paid") {
      const { rental_id: rentalId, amount_paid: amountCents } = event.data.object.metadata;

      const rental = await sequelize.transaction(async (t) => {
        const r = await Rental.findByPk(rentalId, { transaction: t, lock: t.LOCK.UPDATE });
        if (!r) return null;

        await RentalPayment.create(
          { rentalId: r.id, amountCents, providerEventType: event.type },
          { transaction: t }
        );
        r.paidThrough = addOneMonth(r.paidThrough);
        r.equityCents = r.equityCents + Math.round(amountCents * EQUITY_SHARE);
        r.status = "ACTIVE";
        await r.save({ transaction: t });
        return r;
      });

      if (rental) {
        await sendReceipt(rental, amountCents);
      }
    } else if (event.type === "invoice.payment_failed") {
      const { rental_id: rentalId } = event.data.object.metadata;
      await Rental.update({ status: "PAYMENT_FAILED" }, { where: { id: rentalId } });
    }

    res.json({ received: true });
  }
);

module.exports = router;
