// src/routes/catalog.ts — public course catalog for the learning platform
// Homepage and /courses both call these; ~1.5k req/s at peak (4 pods, see helm values).
import { Router, Request, Response, NextFunction } from 'express';
import NodeCache from 'node-cache';
import { pool } from '../db';
import { requireUser } from '../middleware/auth';

type CourseCard = {
  id: number;
  slug: string;
  title: string;
  level: string;
  price_cents: number;
  thumbnail_url: string;
};

type TrendingCourse = CourseCard & { enrollments_7d: number; avg_rating: number };

const cache = new NodeCache({ stdTTL: 300, checkperiod: 120, maxKeys: 20000 });
export const catalogRouter = Router();

// Full catalog of published courses. Same list for every visitor (list prices, no personalisation).
catalogRouter.get('/catalog', requireUser, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const key = `catalog:${req.user!.id}`;
    let courses = cache.get<CourseCard[]>(key);
    if (!courses) {
      const { rows } = await pool.query<CourseCard>(
        `SELECT id, slug, title, level, price_cents, thumbnail_url
           FROM courses
          WHERE published = true
          ORDER BY title
          LIMIT 500`,
      );
      courses = rows;
      cache.set(key, courses);
    }
    res.json(courses);
  } catch (err) {
    next(err);
  }
});

// "Trending this week" strip on the homepage.
catalogRouter.get('/catalog/trending', async (_req: Request, res: Response, next: NextFunction) => {
  try {
    const cached = cache.get<TrendingCourse[]>('trending');
    if (cached) return res.json(cached);

    const { rows } = await pool.query<TrendingCourse>(
      `SELECT c.id, c.slug, c.title, c.level, c.price_cents, c.thumbnail_url,
              count(DISTINCT e.id) AS enrollments_7d,
              coalesce(avg(r.stars), 0) AS avg_rating
         FROM courses c
         JOIN enrollments e ON e.course_id = c.id AND e.created_at > now() - interval '7 days'
         LEFT JOIN reviews r ON r.course_id = c.id
        WHERE c.published = true
        GROUP BY c.id
        ORDER BY enrollments_7d DESC
        LIMIT 12`,
    );
    cache.set('trending', rows, 60);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Course detail page by slug.
catalogRouter.get('/catalog/:slug', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const key = `course:${req.params.slug}`;
    let course = cache.get<CourseCard & { description: string }>(key);
    if (!course) {
      const { rows } = await pool.query(
        `SELECT id, slug, title, level, price_cents, thumbnail_url, description
           FROM courses WHERE slug = $1 AND published = true`,
        [req.params.slug],
      );
      if (rows.length === 0) return res.status(404).json({ error: 'Course not found' });
      course = rows[0];
      cache.set(key, course);
    }
    res.json(course);
  } catch (err) {
    next(err);
  }
});
