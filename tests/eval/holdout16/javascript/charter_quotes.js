// yacht-charter-api/src/quotes.js
// POST /quotes -> price a charter for a given yacht, dates and cruising area.
const express = require('express');
const axios = require('axios');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.PG_URL, connectionTimeoutMillis: 3000 });

const marineApi = axios.create({
  baseURL: 'https://api.seastate.example.com/v2',
  headers: { 'X-Api-Key': process.env.SEASTATE_KEY },
});

const FX_URL = 'https://fx.example.net/latest';

// provider drops requests now and then, so we retry a few times
async function getSeaState(area, date) {
  let lastErr;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const { data } = await marineApi.get('/outlook', { params: { area, date } });
      return data;
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr;
}

async function getRate(currency) {
  if (currency === 'EUR') return 1;
  const res = await fetch(`${FX_URL}?base=EUR&symbols=${currency}`, {
    signal: AbortSignal.timeout(2500),
  });
  if (!res.ok) throw new Error(`fx ${res.status}`);
  const body = await res.json();
  return body.rates[currency];
}

function nightsBetween(from, to) {
  return Math.round((new Date(to) - new Date(from)) / 86400000);
}

const app = express();
app.use(express.json());

app.post('/quotes', async (req, res, next) => {
  const { yachtId, from, to, area, currency = 'EUR' } = req.body;
  try {
    const { rows } = await pool.query(
      'SELECT id, name, day_rate_eur, crew_fee_eur, max_wind_kn FROM yachts WHERE id = $1 AND active',
      [yachtId]
    );
    const yacht = rows[0];
    if (!yacht) return res.status(404).json({ error: 'unknown yacht' });

    const nights = nightsBetween(from, to);
    if (nights < 1 || nights > 28) return res.status(400).json({ error: 'bad dates' });

    const outlook = await getSeaState(area, from);
    const rough = outlook.maxWindKn > yacht.max_wind_kn;

    const baseEur = nights * yacht.day_rate_eur + yacht.crew_fee_eur;
    const rate = await getRate(currency);

    res.json({
      yacht: yacht.name,
      nights,
      price: Math.round(baseEur * rate),
      currency,
      weatherWarning: rough ? 'Forecast exceeds recommended wind limit for this yacht' : null,
    });
  } catch (err) {
    next(err);
  }
});

app.listen(process.env.PORT || 3000);
