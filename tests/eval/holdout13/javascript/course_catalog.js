/**
 * Registration API — catalog + schedule endpoints.
 *
 * Registration opens at 07:00 for ~22k students, so everything read-heavy
 * goes through Redis. Postgres is the source of truth.
 */
const express = require('express');
const Redis = require('ioredis');
const { pool } = require('../db');
const { requireStudent } = require('../auth');
const { currentTerm } = require('../terms');

const router = express.Router();
const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 500, maxRetriesPerRequest: 2 });

const CATALOG_TTL = 600; // 10 min
const FILL_TTL = 30;     // fill rates need to feel "live"

// GET /catalog?term=2024FA
// Full section list for a term (~4,800 sections) with instructors and meeting times.
router.get('/catalog', requireStudent, async (req, res, next) => {
  try {
    const term = req.query.term || currentTerm();
    const cacheKey = `catalog:${term}:${req.user.id}`;

    const hit = await redis.get(cacheKey);
    if (hit) return res.type('json').send(hit);

    const { rows } = await pool.query(
      `SELECT s.id, c.code, c.title, c.credits, s.section_no, s.capacity,
              i.display_name AS instructor, s.meeting_days, s.start_time, s.end_time, s.room
         FROM sections s
         JOIN courses c ON c.id = s.course_id
         LEFT JOIN instructors i ON i.id = s.instructor_id
        WHERE s.term = $1 AND s.published
        ORDER BY c.code, s.section_no`,
      [term]
    );
    const body = JSON.stringify(rows);
    await redis.set(cacheKey, body, 'EX', CATALOG_TTL);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

// GET /departments/:dept/fill-rates — seats taken per section, shown next to every course
router.get('/departments/:dept/fill-rates', requireStudent, async (req, res, next) => {
  try {
    const term = req.query.term || currentTerm();
    const key = `fill:${term}:${req.params.dept}`;

    let payload = await redis.get(key);
    if (!payload) {
      const { rows } = await pool.query(
        `SELECT s.id, s.capacity,
                COUNT(e.student_id) FILTER (WHERE e.status = 'enrolled')   AS enrolled,
                COUNT(e.student_id) FILTER (WHERE e.status = 'waitlisted') AS waitlisted
           FROM sections s
           JOIN courses c ON c.id = s.course_id
           LEFT JOIN enrollments e ON e.section_id = s.id
          WHERE s.term = $1 AND c.department = $2
          GROUP BY s.id, s.capacity`,
        [term, req.params.dept]
      );
      payload = JSON.stringify(rows);
      await redis.set(key, payload, 'EX', FILL_TTL);
    }
    res.type('json').send(payload);
  } catch (err) {
    next(err);
  }
});

// GET /me/schedule — the student's own enrolled sections for the term
router.get('/me/schedule', requireStudent, async (req, res, next) => {
  try {
    const term = req.query.term || currentTerm();
    const key = `schedule:${term}:${req.user.id}`;
    const hit = await redis.get(key);
    if (hit) return res.type('json').send(hit);

    const { rows } = await pool.query(
      `SELECT s.id, c.code, c.title, s.meeting_days, s.start_time, s.end_time, s.room, e.status
         FROM enrollments e
         JOIN sections s ON s.id = e.section_id
         JOIN courses c ON c.id = s.course_id
        WHERE e.student_id = $1 AND s.term = $2`,
      [req.user.id, term]
    );
    const body = JSON.stringify(rows);
    await redis.set(key, body, 'EX', 120);
    res.type('json').send(body);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
