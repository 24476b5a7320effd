#!/usr/bin/env node
// scripts/backfillProgress.js
// One-off after the lesson restructure: recompute progress_pct for every enrollment.
// Usage: DATABASE_URL=... node scripts/backfillProgress.js [--dry-run]
// Run once by hand from the bastion box; single process, nothing else reads its memory.

const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2, statement_timeout: 60000 });
const DRY_RUN = process.argv.includes('--dry-run');
const PAGE = 1000;

// course_id -> number of published lessons; filled once before the loop
const lessonsPerCourse = new Map();

async function loadLessonCounts() {
  const { rows } = await pool.query(
    'SELECT course_id, count(*)::int AS n FROM lessons WHERE published GROUP BY course_id'
  );
  for (const r of rows) lessonsPerCourse.set(r.course_id, r.n);
  console.log(`loaded lesson counts for ${lessonsPerCourse.size} courses`);
}

async function main() {
  await loadLessonCounts();
  let lastId = 0;
  let total = 0;

  for (;;) {
    const { rows: enrollments } = await pool.query(
      'SELECT id, course_id FROM enrollments WHERE id > $1 ORDER BY id LIMIT $2',
      [lastId, PAGE]
    );
    if (enrollments.length === 0) break;

    const ids = enrollments.map((e) => e.id);
    const { rows: done } = await pool.query(
      `SELECT enrollment_id, count(DISTINCT lesson_id)::int AS n
         FROM lesson_completions
        WHERE enrollment_id = ANY($1::bigint[])
        GROUP BY enrollment_id`,
      [ids]
    );
    const doneBy = new Map(done.map((d) => [d.enrollment_id, d.n]));

    const pct = enrollments.map((e) => {
      const lessons = lessonsPerCourse.get(e.course_id) || 0;
      return lessons === 0 ? 0 : Math.min(100, Math.round((100 * (doneBy.get(e.id) || 0)) / lessons));
    });

    if (!DRY_RUN) {
      await pool.query(
        `UPDATE enrollments e SET progress_pct = v.pct
           FROM unnest($1::bigint[], $2::int[]) AS v(id, pct)
          WHERE e.id = v.id`,
        [ids, pct]
      );
    }
    total += enrollments.length;
    lastId = enrollments[enrollments.length - 1].id;
    console.log(`processed ${total} (last id ${lastId})`);
  }
}

main()
  .catch((err) => {
    console.error('backfill failed', err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
