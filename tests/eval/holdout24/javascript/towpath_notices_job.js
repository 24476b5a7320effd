// jobs/syncTowpathNotices.js
// Pulls stoppage / towpath closure notices from the navigation authority's feed
// every 15 minutes (node-cron in the worker container) and upserts them so the
// boaters' app can show closures along a planned route.
const { pool } = require('../db');
const logger = require('../logger');

const FEED_URL = process.env.CLOSURE_FEED_URL; // e.g. https://feeds.example-waterways.org/notices.json
const MAX_ATTEMPTS = 5;

async function fetchNotices() {
  const since = await lastSyncedAt();
  let lastError;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const res = await fetch(`${FEED_URL}?since=${encodeURIComponent(since)}`, {
        headers: { accept: 'application/json', 'user-agent': 'towpath-sync/1.4' },
      });
      if (!res.ok) throw new Error(`feed responded ${res.status}`);
      return await res.json();
    } catch (err) {
      lastError = err;
      logger.warn({ attempt, err: err.message }, 'closure feed fetch failed, retrying');
    }
  }
  throw lastError;
}

async function lastSyncedAt() {
  const { rows } = await pool.query(
    "SELECT coalesce(max(feed_updated_at), now() - interval '30 days') AS ts FROM towpath_notices",
  );
  return rows[0].ts.toISOString();
}

function normalise(n) {
  return {
    noticeId: String(n.id),
    waterway: n.waterway?.name ?? 'unknown',
    fromKm: Number(n.location?.start_km ?? 0),
    toKm: Number(n.location?.end_km ?? 0),
    kind: n.type === 'towpath' ? 'towpath' : 'navigation',
    reason: (n.reason || '').slice(0, 500),
    startsOn: n.start_date,
    endsOn: n.end_date,
    feedUpdatedAt: n.updated_at,
  };
}

async function upsertNotices(notices) {
  if (notices.length === 0) return 0;
  const rows = notices.map(normalise);
  await pool.query(
    `INSERT INTO towpath_notices
       (notice_id, waterway, from_km, to_km, kind, reason, starts_on, ends_on, feed_updated_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
       "noticeId" text, waterway text, "fromKm" numeric, "toKm" numeric, kind text,
       reason text, "startsOn" date, "endsOn" date, "feedUpdatedAt" timestamptz)
     ON CONFLICT (notice_id) DO UPDATE SET
       waterway = EXCLUDED.waterway, from_km = EXCLUDED.from_km, to_km = EXCLUDED.to_km,
       kind = EXCLUDED.kind, reason = EXCLUDED.reason, starts_on = EXCLUDED.starts_on,
       ends_on = EXCLUDED.ends_on, feed_updated_at = EXCLUDED.feed_updated_at`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}

// Notices that ended more than 90 days ago are only kept in the authority's archive.
async function pruneOldNotices() {
  const { rowCount } = await pool.query(
    "DELETE FROM towpath_notices WHERE ends_on < current_date - interval '90 days'",
  );
  return rowCount;
}

async function run() {
  const started = Date.now();
  const payload = await fetchNotices();
  const upserted = await upsertNotices(payload.notices ?? []);
  const pruned = await pruneOldNotices();
  logger.info({ upserted, pruned, ms: Date.now() - started }, 'towpath notices synced');
}

module.exports = { run };
