// workers/riverLevelPoller.js
// Every 5 minutes: fetch the latest gauge readings, find stations that have
// crossed their alert threshold and queue one notification fan-out per
// crossing. Runs as a single BullMQ repeatable job; several worker pods may
// pick up retries, so de-duplication lives in Redis, not in this process.

const Redis = require("ioredis");
const { Queue } = require("bullmq");
const { pool } = require("../db/pool"); // shared pg Pool (max 10, statement_timeout 5s)
const logger = require("../logger");

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 3, connectTimeout: 5000 });
const notifyQueue = new Queue("river-alert-fanout", { connection: redis });

const READINGS_URL = process.env.GAUGE_API_URL + "/readings/latest";
const ALERT_DEDUP_SECONDS = 6 * 60 * 60; // one alert per station+level per 6 h

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchLatestReadings() {
  const maxAttempts = 4;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(READINGS_URL, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(8000),
      });
      if (!res.ok) throw new Error(`gauge api ${res.status}`);
      const body = await res.json();
      return body.items; // [{ stationRef, value, dateTime }]
    } catch (err) {
      if (attempt + 1 >= maxAttempts) {
        logger.error({ err, attempt }, "gauge readings unavailable");
        throw err;
      }
      // exponential backoff with full jitter, capped at 20 s
      const cap = Math.min(20_000, 500 * 2 ** attempt);
      await sleep(Math.random() * cap);
    }
  }
}

function levelFor(station, value) {
  if (value >= station.severe_m) return "SEVERE";
  if (value >= station.warning_m) return "WARNING";
  return null;
}

async function pollRiverLevels() {
  const readings = await fetchLatestReadings();
  if (!readings.length) return 0;

  const refs = readings.map((r) => r.stationRef);
  const { rows: stations } = await pool.query(
    `SELECT id, station_ref, name, warning_m, severe_m
       FROM river_stations
      WHERE station_ref = ANY($1::text[]) AND active`,
    [refs]
  );
  const byRef = new Map(stations.map((s) => [s.station_ref, s]));

  const crossings = [];
  for (const reading of readings) {
    const station = byRef.get(reading.stationRef);
    if (!station) continue;
    const level = levelFor(station, reading.value);
    if (level) crossings.push({ station, level, reading });
  }
  if (!crossings.length) return 0;

  // SET NX EX in one round trip: only the first poll (on any pod) that sees a
  // crossing wins it; the others get null back for that key.
  const tx = redis.multi();
  for (const c of crossings) {
    c.dedupKey = `river-alert:${c.station.id}:${c.level}`;
    tx.set(c.dedupKey, c.reading.dateTime, "EX", ALERT_DEDUP_SECONDS, "NX");
  }
  const results = await tx.exec();
  const fresh = crossings.filter((_, i) => results[i][1] === "OK");

  await notifyQueue.addBulk(
    fresh.map((c) => ({
      name: "fanout",
      data: { stationId: c.station.id, level: c.level, value: c.reading.value, at: c.reading.dateTime },
      opts: { jobId: `${c.dedupKey}:${c.reading.dateTime}`, attempts: 5, backoff: { type: "exponential", delay: 2000 } },
    }))
  );
  const queued = fresh.length;

  logger.info({ readings: readings.length, queued }, "river level poll done");
  return queued;
}

module.exports = { pollRiverLevels };
