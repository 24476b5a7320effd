// is caching like this ok? fleet rates only change when ops uploads a new rate sheet
const NodeCache = require('node-cache');
const db = require('./db');

const rateCache = new NodeCache({ stdTTL: 600, checkperiod: 120 });

async function getFleetRates(req) {
  const key = `fleet-rates:${req.user.id}`;
  let rates = rateCache.get(key);
  if (!rates) {
    const { rows } = await db.query(
      'SELECT vehicle_class, seats, per_mile_cents, per_hour_cents, min_hours FROM fleet_rates WHERE active ORDER BY seats'
    );
    rates = rows;
    rateCache.set(key, rates);
  }
  return rates;
}

app.get('/api/quote/rates', requireLogin, async (req, res) => {
  res.json(await getFleetRates(req));
});
