'use client';

// Week view of firing slots for one kiln. Loads one week at a time from the studio API;
// the previous request is aborted when the member flips weeks quickly.
import { useEffect, useMemo, useState } from 'react';
import styles from './KilnCalendar.module.css';

type Slot = {
  slotStart: string;
  shelvesBooked: number;
};

type Props = {
  kilnId: number;
  shelfCapacity: number;
  onPick?: (slotStart: string) => void;
};

const REQUEST_TIMEOUT_MS = 8000;

function startOfWeek(d: Date): Date {
  const copy = new Date(d);
  copy.setHours(0, 0, 0, 0);
  copy.setDate(copy.getDate() - ((copy.getDay() + 6) % 7));
  return copy;
}

export default function KilnCalendar({ kilnId, shelfCapacity, onPick }: Props) {
  const [weekStart, setWeekStart] = useState(() => startOfWeek(new Date()));
  const [slots, setSlots] = useState<Slot[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [errorMessage, setErrorMessage] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setStatus('loading');

    const params = new URLSearchParams({ from: weekStart.toISOString(), limit: '60' });
    fetch(`/api/kilns/${kilnId}/slots?${params}`, { signal: controller.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Could not load slots (${res.status})`);
        const body = (await res.json()) as { slot_start: string; shelves_booked: number }[];
        setSlots(body.map((r) => ({ slotStart: r.slot_start, shelvesBooked: r.shelves_booked })));
        setStatus('ready');
      })
      .catch((err: Error) => {
        console.error('kiln calendar load failed', err);
        if (cancelled) return;
        setErrorMessage(err.name === 'AbortError' ? 'The studio server took too long to answer.' : err.message);
        setStatus('error');
      })
      .finally(() => clearTimeout(timer));

    return () => {
      cancelled = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [kilnId, weekStart]);

  const byStart = useMemo(() => new Map(slots.map((s) => [s.slotStart, s])), [slots]);

  const days = Array.from({ length: 7 }, (_, i) => {
    const d = new Date(weekStart);
    d.setDate(d.getDate() + i);
    d.setHours(8);
    return d;
  });

  const shiftWeek = (weeks: number) =>
    setWeekStart((w) => new Date(w.getTime() + weeks * 7 * 24 * 3600 * 1000));

  return (
    <section className={styles.calendar} aria-busy={status === 'loading'}>
      <header className={styles.toolbar}>
        <button onClick={() => shiftWeek(-1)}>← Previous</button>
        <h3>Week of {weekStart.toLocaleDateString()}</h3>
        <button onClick={() => shiftWeek(1)}>Next →</button>
      </header>

      {status === 'error' && <p role="alert" className={styles.error}>{errorMessage}</p>}

      <ol className={styles.days}>
        {days.map((day) => {
          const key = day.toISOString();
          const booked = byStart.get(key)?.shelvesBooked ?? 0;
          const free = shelfCapacity - booked;
          return (
            <li key={key} className={free > 0 ? styles.open : styles.full}>
              <span>{day.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })}</span>
              <span>{free > 0 ? `${free} shelves free` : 'Full'}</span>
              <button disabled={free <= 0 || !onPick} onClick={() => onPick?.(key)}>
                Book
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
