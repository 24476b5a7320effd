import json
import os

import psycopg2
import psycopg2.extras
import stripe
from flask import Flask, abort, g, redirect, render_template_string, request

from mailer import send_order_confirmation

app = Flask(__name__)
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
DSN = os.environ["DATABASE_URL"]
TOUR_ID = int(os.environ.get("TOUR_ID", "7"))


def get_db():
    if "db" not in g:
        g.db = psycopg2.connect(DSN, cursor_factory=psycopg2.extras.RealDictCursor)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Night Harbor World Tour - Official Merch</title>
  <script src="https://cdn.tailwindcss.com"></script>
</head>
<body class="bg-black text-white">
  <main class="max-w-5xl mx-auto grid grid-cols-2 md:grid-cols-4 gap-6 p-6">
  {% for p in products %}
    <form method="post" action="/checkout" class="rounded-xl bg-zinc-900 p-4">
      <img src="{{ p.image_url }}" alt="{{ p.name }}" class="rounded-lg">
      <h2 class="mt-2 font-semibold">{{ p.name }}</h2>
      <p>${{ '%.2f' % (p.price_cents / 100) }}</p>
      <input type="hidden" name="product_id" value="{{ p.id }}">
      <button class="mt-2 w-full bg-pink-600 rounded py-1" {% if p.stock <= 0 %}disabled{% endif %}>Buy</button>
    </form>
  {% endfor %}
  </main>
</body>
</html>"""


@app.route("/")
def shop():
    cur = get_db().cursor()
    cur.execute("SELECT id, name, price_cents, image_url, stock FROM products "
                "WHERE tour_id = %s AND active ORDER BY sort_order LIMIT 60", (TOUR_ID,))
    return render_template_string(PAGE, products=cur.fetchall())


@app.route("/checkout", methods=["POST"])
def checkout():
    cur = get_db().cursor()
    cur.execute("SELECT id, name, price_cents FROM products WHERE id = %s AND active", (request.form["product_id"],))
    p = cur.fetchone() or abort(404)
    session = stripe.checkout.Session.create(
        mode="payment",
        line_items=[{"price_data": {"currency": "usd", "unit_amount": p["price_cents"],
                                    "product_data": {"name": p["name"]}}, "quantity": 1}],
        metadata={"items": json.dumps([{"product_id": p["id"], "qty": 1}])},
        success_url=request.host_url + "thanks",
        cancel_url=request.host_url,
    )
    return redirect(session.url, code=303)


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    if event["type"] == "checkout.session.completed":
        sess = event["data"]["object"]
        items = json.loads(sess["metadata"]["items"])
        db = get_db()
        cur = db.cursor()
        for it in items:
            cur.execute("UPDATE products SET stock = stock - %s WHERE id = %s", (it["qty"], it["product_id"]))
        cur.execute("INSERT INTO orders (stripe_session_id, email, total_cents, status) VALUES (%s, %s, %s, 'paid')",
                    (sess["id"], sess["customer_details"]["email"], sess["amount_total"]))
        db.commit()
        send_order_confirmation(sess["customer_details"]["email"], items)

    return "", 200
