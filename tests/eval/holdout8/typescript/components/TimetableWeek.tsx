'use client';

// components/timetable/TimetableWeek.tsx
// School timetabling: weekly grid for one class group. Styles come from the
// compiled CSS module (built by Next), no runtime CSS.
import { useEffect, useState } from 'react';
import styles from './TimetableWeek.module.css';

type Lesson = {
  id: string;
  day: 1 | 2 | 3 | 4 | 5;
  period: number;
  subject: string;
  teacher: string;
  room: string;
};

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8];

export function TimetableWeek({ groupId, week }: { groupId: string; week: string }) {
  const [lessons, setLessons] = useState<Lesson[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    const signal = AbortSignal.any([ctrl.signal, AbortSignal.timeout(8000)]);

    fetch(`/api/timetable/groups/${groupId}?week=${week}`, { signal })
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json() as Promise<{ lessons: Lesson[] }>;
      })
      .then((data) => setLessons(data.lessons))
      .catch((err) => {
        if (ctrl.signal.aborted) return; // unmounted / week changed
        console.error('timetable load failed', err);
        setError('Could not load the timetable. Please try again.');
      });

    return () => ctrl.abort();
  }, [groupId, week]);

  const cell = (day: number, period: number) =>
    lessons.find((l) => l.day === day && l.period === period);

  if (error) return <p className={styles.error}>{error}</p>;

  return (
    <table className={styles.grid}>
      <thead>
        <tr>
          <th />
          {DAYS.map((d) => (
            <th key={d}>{d}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {PERIODS.map((p) => (
          <tr key={p}>
            <th scope="row">P{p}</th>
            {DAYS.map((_, i) => {
              const l = cell(i + 1, p);
              return (
                <td key={i} className={l ? styles.lesson : styles.free}>
                  {l && (
                    <>
                      <strong>{l.subject}</strong>
                      <span>{l.teacher}</span>
                      <span className={styles.room}>{l.room}</span>
                    </>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
