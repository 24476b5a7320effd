#!/usr/bin/env ts-node
/**
 * bell-rota.ts — generate the Sunday service ringing rota for a quarter.
 *
 *   npx ts-node scripts/bell-rota.ts --tower st-marys --from 2025-01-05 --weeks 13 > rota.csv
 *
 * Run by the tower secretary on a laptop once a quarter. Single process, one DB
 * connection, exits when done.
 */
import { Client } from 'pg';

type Ringer = { id: number; name: string; bells: number[]; methods: string[] };

const args = Object.fromEntries(
  process.argv.slice(2).reduce<[string, string][]>((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);

// Which ringers can ring a given method — memoised for this run only.
const canRingMemo = new Map<string, Ringer[]>();
function ringersFor(method: string, ringers: Ringer[]): Ringer[] {
  if (!canRingMemo.has(method)) {
    canRingMemo.set(method, ringers.filter((r) => r.methods.includes(method)));
  }
  return canRingMemo.get(method)!;
}

async function main() {
  const db = new Client({ connectionString: process.env.TOWER_DB, statement_timeout: 10_000 });
  await db.connect();
  try {
    const sundays: string[] = [];
    const start = new Date(args.from);
    for (let w = 0; w < Number(args.weeks ?? 13); w++) {
      sundays.push(new Date(start.getTime() + w * 7 * 86_400_000).toISOString().slice(0, 10));
    }

    const { rows: ringers } = await db.query<Ringer>(
      'SELECT id, name, bells, methods FROM ringers WHERE tower = $1 AND active',
      [args.tower],
    );
    // One query for all absences in the quarter, not one per Sunday.
    const { rows: away } = await db.query<{ ringer_id: number; day: string }>(
      'SELECT ringer_id, day::text FROM absences WHERE ringer_id = ANY($1) AND day = ANY($2::date[])',
      [ringers.map((r) => r.id), sundays],
    );
    const awaySet = new Set(away.map((a) => `${a.ringer_id}:${a.day}`));
    const methods = ['Plain Bob Doubles', 'Grandsire Doubles', 'Stedman Doubles', 'Call Changes'];
    const turns = new Map<number, number>();

    console.log('date,method,' + [1, 2, 3, 4, 5, 6].map((b) => `bell_${b}`).join(','));
    sundays.forEach((day, idx) => {
      const method = methods[idx % methods.length];
      const pool = ringersFor(method, ringers)
        .filter((r) => !awaySet.has(`${r.id}:${day}`))
        .sort((a, b) => (turns.get(a.id) ?? 0) - (turns.get(b.id) ?? 0));
      const band = pool.slice(0, 6);
      band.forEach((r) => turns.set(r.id, (turns.get(r.id) ?? 0) + 1));
      console.log([day, method, ...band.map((r) => r.name)].join(','));
      if (band.length < 6) console.error(`warning: only ${band.length} ringers for ${day}`);
    });
  } finally {
    await db.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
