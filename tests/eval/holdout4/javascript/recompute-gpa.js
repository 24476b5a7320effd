#!/usr/bin/env node
// One-off / end-of-term job: recompute cumulative GPA for every student.
//   node scripts/recompute-gpa.js --term 2024FA [--dry-run]
// Runs from the ops box as a single process; not part of the web app.
const mysql = require('mysql2/promise');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: { term: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
});

const BATCH = 500;

async function main() {
  if (!args.term) throw new Error('--term is required');
  const db = await mysql.createConnection({ uri: process.env.SIS_DATABASE_URL, connectTimeout: 10000 });

  // course catalog is a few thousand rows; load it once for the whole run
  const [courses] = await db.query('SELECT id, credits FROM courses');
  const creditsByCourse = new Map(courses.map((c) => [c.id, Number(c.credits)]));

  let lastId = 0;
  let updated = 0;
  try {
    for (;;) {
      const [students] = await db.query(
        'SELECT id FROM students WHERE id > ? AND status = "active" ORDER BY id LIMIT ?',
        [lastId, BATCH]
      );
      if (students.length === 0) break;
      const ids = students.map((s) => s.id);

      const [grades] = await db.query(
        'SELECT student_id, course_id, grade_points FROM enrollments WHERE student_id IN (?) AND grade_points IS NOT NULL',
        [ids]
      );

      const totals = new Map(ids.map((id) => [id, { points: 0, credits: 0 }]));
      for (const g of grades) {
        const credits = creditsByCourse.get(g.course_id) || 0;
        const t = totals.get(g.student_id);
        t.points += Number(g.grade_points) * credits;
        t.credits += credits;
      }

      const rows = [...totals].map(([id, t]) => [id, args.term, t.credits ? +(t.points / t.credits).toFixed(3) : null]);
      if (!args['dry-run']) {
        await db.query(
          'INSERT INTO student_gpa (student_id, term, gpa) VALUES ? ON DUPLICATE KEY UPDATE gpa = VALUES(gpa)',
          [rows]
        );
      }
      updated += rows.length;
      lastId = ids[ids.length - 1];
      process.stdout.write(`\rprocessed ${updated} students`);
    }
  } finally {
    await db.end();
  }
  console.log(`\ndone: ${updated} students${args['dry-run'] ? ' (dry run)' : ''}`);
}

main().catch((err) => {
  console.error('recompute-gpa failed:', err);
  process.exitCode = 1;
});
