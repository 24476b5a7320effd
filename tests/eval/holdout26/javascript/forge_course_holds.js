// Blacksmith forge courses: a place is held for 15 minutes while the student
// pays. Holds live in course_place_holds; the sweeper below removes expired
// ones so the table stays small and the capacity count stays cheap.
const cron = require('node-cron');
const { Pool } = require('pg');
const logger = require('./logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 30000,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const HOLD_MINUTES = 15;
const SWEEP_BATCH = 1000;
const SWEEPER_LOCK_ID = 734021; // pg advisory lock key, one sweeper across all pods

async function holdPlace(courseId, studentId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Serialise holds per course: the course row is the lock.
    const course = await client.query(
      'SELECT places_total FROM forge_courses WHERE id = $1 AND status = $2 FOR UPDATE',
      [courseId, 'open']
    );
    if (course.rowCount === 0) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'course not open' };
    }
    const used = await client.query(
      `SELECT (SELECT count(*) FROM course_enrolments WHERE course_id = $1)
            + (SELECT count(*) FROM course_place_holds
                WHERE course_id = $1 AND expires_at > now()) AS taken`,
      [courseId]
    );
    if (Number(used.rows[0].taken) >= course.rows[0].places_total) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'course full' };
    }
    const hold = await client.query(
      `INSERT INTO course_place_holds (course_id, student_id, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))
       ON CONFLICT (course_id, student_id)
       DO UPDATE SET expires_at = EXCLUDED.expires_at
       RETURNING id, expires_at`,
      [courseId, studentId, HOLD_MINUTES]
    );
    await client.query('COMMIT');
    return { ok: true, hold: hold.rows[0] };
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, courseId, studentId }, 'holdPlace failed');
    throw err;
  } finally {
    client.release();
  }
}

async function sweepExpiredHolds() {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS got', [SWEEPER_LOCK_ID]);
    if (!rows[0].got) return 0;
    let total = 0;
    try {
      for (;;) {
        const res = await client.query(
          `DELETE FROM course_place_holds
            WHERE id IN (SELECT id FROM course_place_holds
                          WHERE expires_at < now()
                          LIMIT $1)`,
          [SWEEP_BATCH]
        );
        total += res.rowCount;
        if (res.rowCount < SWEEP_BATCH) break;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SWEEPER_LOCK_ID]);
    }
    if (total > 0) logger.info({ total }, 'expired forge course holds removed');
    return total;
  } finally {
    client.release();
  }
}

cron.schedule('*/5 * * * *', () => {
  sweepExpiredHolds().catch((err) => logger.error({ err }, 'hold sweeper failed'));
});

module.exports = { holdPlace, sweepExpiredHolds, pool };
