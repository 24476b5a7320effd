import { useCallback, useEffect, useState } from 'react';
import styles from './CourseCatalog.module.css';

type Course = {
  id: string;
  code: string;
  title: string;
  credits: number;
  seatsOpen: number;
  instructor: string;
};

type Page = { items: Course[]; nextCursor: string | null };

const PAGE_SIZE = 24;

async function fetchCourses(term: string, cursor: string | null, signal: AbortSignal): Promise<Page> {
  const params = new URLSearchParams({ term, limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  const res = await fetch(`/api/courses?${params}`, { signal });
  if (!res.ok) throw new Error(`Could not load courses (${res.status})`);
  return res.json();
}

export function CourseCatalog({ term }: { term: string }) {
  const [courses, setCourses] = useState<Course[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadPage = useCallback(
    async (from: string | null, isCancelled: () => boolean = () => false) => {
      setLoading(true);
      setError(null);
      try {
        const page = await fetchCourses(term, from, AbortSignal.timeout(10_000));
        if (isCancelled()) return;
        setCourses((prev) => (from ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setHasMore(page.nextCursor !== null);
      } catch (err) {
        if (isCancelled()) return;
        console.error('course catalog load failed', err);
        setError(err instanceof Error ? err.message : 'Could not load courses');
      } finally {
        if (!isCancelled()) setLoading(false);
      }
    },
    [term],
  );

  useEffect(() => {
    let cancelled = false;
    void loadPage(null, () => cancelled);
    return () => {
      cancelled = true;
    };
  }, [loadPage]);

  return (
    <section className={styles.catalog}>
      <ul className={styles.grid}>
        {courses.map((c) => (
          <li key={c.id} className={styles.card}>
            <span className={styles.code}>{c.code}</span>
            <h3>{c.title}</h3>
            <p>
              {c.instructor} · {c.credits} credits ·{' '}
              <span className={c.seatsOpen > 0 ? styles.open : styles.full}>
                {c.seatsOpen > 0 ? `${c.seatsOpen} seats open` : 'Waitlist'}
              </span>
            </p>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className={styles.error}>
          {error} <button onClick={() => loadPage(cursor)}>Retry</button>
        </p>
      )}
      {hasMore && !error && (
        <button className={styles.more} disabled={loading} onClick={() => loadPage(cursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
