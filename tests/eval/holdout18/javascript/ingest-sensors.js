#!/usr/bin/env node
// ingest-sensors.js -- run by cron on the farm gateway box, once per hour:
//   node ingest-sensors.js --farm 3 --dir /var/spool/sensors
// Reads the JSONL files the grow-room loggers drop, writes them to Postgres
// in batches, and pings the on-call channel if a room drifts out of range.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { Client } = require('pg');

const args = require('minimist')(process.argv.slice(2));
const farmId = Number(args.farm);
const spoolDir = args.dir || '/var/spool/sensors';
const BATCH = 1000;

// one-off script: a single connection for the whole run is fine
const db = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 30000 });

// sensor serial -> { sensorId, roomId, co2Max }; loaded once at start-up
const sensorsBySerial = new Map();

async function loadSensors() {
  const { rows } = await db.query(
    `SELECT s.serial, s.id, s.room_id, r.co2_max_ppm
       FROM sensors s JOIN grow_rooms r ON r.id = s.room_id
      WHERE r.farm_id = $1`,
    [farmId]
  );
  for (const r of rows) sensorsBySerial.set(r.serial, { sensorId: r.id, roomId: r.room_id, co2Max: r.co2_max_ppm });
}

async function flush(batch) {
  if (batch.length === 0) return;
  await db.query(
    `INSERT INTO readings (sensor_id, recorded_at, temp_c, rh_pct, co2_ppm)
     SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::real[], $4::real[], $5::int[])
     ON CONFLICT (sensor_id, recorded_at) DO NOTHING`,
    [batch.map((b) => b.sensorId), batch.map((b) => b.ts), batch.map((b) => b.temp),
     batch.map((b) => b.rh), batch.map((b) => b.co2)]
  );
}

async function alert(text) {
  const res = await fetch(process.env.ONCALL_WEBHOOK, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(8000),
  });
  if (!res.ok) console.error(`alert webhook returned ${res.status}`);
}

async function ingestFile(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file) });
  let batch = [];
  const hot = new Set();
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const s = sensorsBySerial.get(r.serial);
    if (!s) { console.warn(`unknown sensor ${r.serial}, skipping`); continue; }
    batch.push({ sensorId: s.sensorId, ts: r.ts, temp: r.t, rh: r.rh, co2: r.co2 });
    if (r.co2 > s.co2Max) hot.add(s.roomId);
    if (batch.length >= BATCH) { await flush(batch); batch = []; }
  }
  await flush(batch);
  return hot;
}

async function main() {
  await db.connect();
  await loadSensors();
  const files = fs.readdirSync(spoolDir).filter((f) => f.endsWith('.jsonl')).sort();
  for (const f of files) {
    const full = path.join(spoolDir, f);
    const hot = await ingestFile(full);
    if (hot.size) await alert(`farm ${farmId}: CO2 above limit in rooms ${[...hot].join(', ')}`);
    fs.renameSync(full, full + '.done');
    console.log(`ingested ${f}`);
  }
  await db.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
