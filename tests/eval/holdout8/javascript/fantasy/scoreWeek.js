#!/usr/bin/env node
// scripts/scoreWeek.js
// One-off / cron CLI: pull final box scores for an NFL week and write fantasy points
// for every league roster. Usage: node scripts/scoreWeek.js --season 2024 --week 7
// Runs as a single process on the ops box; not part of the web app.

const { Client } = require('pg');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: { season: { type: 'string' }, week: { type: 'string' } },
});
const season = Number(values.season);
const week = Number(values.week);

const SCORING = { passYd: 0.04, passTd: 4, int: -2, rushYd: 0.1, rushTd: 6, rec: 0.5, recYd: 0.1, recTd: 6, fumLost: -2 };

async function fetchWithRetry(url, { attempts = 5, baseMs = 500 } = {}) {
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url, {
        headers: { 'x-api-key': process.env.STATS_API_KEY },
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return res.json();
      if (res.status < 500 && res.status !== 429) throw new Error(`stats api ${res.status}`);
    } catch (err) {
      if (i === attempts - 1) throw err;
      console.warn(`attempt ${i + 1} failed: ${err.message}`);
    }
    const delay = Math.min(baseMs * 2 ** i, 15_000) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, delay));
  }
  throw new Error('stats api: retries exhausted');
}

async function main() {
  const db = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 60_000 });
  await db.connect();

  // player_id -> position; filled once, only lives for this run
  const positions = new Map();
  const { rows } = await db.query('SELECT id, position FROM players WHERE active');
  for (const p of rows) positions.set(p.id, p.position);

  const box = await fetchWithRetry(`https://api.gridstats.example/v1/${season}/weeks/${week}/boxscores`);

  const ids = [];
  const points = [];
  for (const line of box.playerLines) {
    if (!positions.has(line.playerId)) continue;
    let pts = 0;
    for (const [stat, mult] of Object.entries(SCORING)) pts += (line[stat] || 0) * mult;
    ids.push(line.playerId);
    points.push(Math.round(pts * 100) / 100);
  }

  // one statement for the whole week
  await db.query(
    `INSERT INTO player_week_points (player_id, season, week, points)
     SELECT unnest($1::int[]), $2, $3, unnest($4::numeric[])
     ON CONFLICT (player_id, season, week) DO UPDATE SET points = EXCLUDED.points`,
    [ids, season, week, points]
  );
  console.log(`scored ${ids.length} players for ${season} week ${week}`);
  await db.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
