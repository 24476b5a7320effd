'use client';

// Lido season lane bookings: the member-facing board for one day.
// Styles come from the compiled CSS module; slots load a page at a time.

import { useCallback, useEffect, useState } from 'react';
import styles from './LaneBookingBoard.module.css';

type Slot = {
  laneId: number;
  laneName: string;
  sessionStart: string;
  available: boolean;
};

type SlotPage = { slots: Slot[]; nextCursor: string | null };

const REQUEST_TIMEOUT_MS = 8000;

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
  if (!res.ok) throw new Error(`Request failed: ${res.status}`);
  return res.json() as Promise<T>;
}

export default function LaneBookingBoard({ date }: { date: string }) {
  const [slots, setSlots] = useState<Slot[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [booking, setBooking] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setSlots([]);
    getJson<SlotPage>(`/api/lido/slots?date=${encodeURIComponent(date)}&limit=40`, controller.signal)
      .then((page) => {
        setSlots(page.slots);
        setCursor(page.nextCursor);
      })
      .catch((err: Error) => {
        if (err.name === 'AbortError') return;
        console.error('lane slots failed', err);
        setError('Could not load lanes. Please try again.');
      });
    return () => controller.abort();
  }, [date]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    try {
      const page = await getJson<SlotPage>(
        `/api/lido/slots?date=${encodeURIComponent(date)}&limit=40&cursor=${encodeURIComponent(cursor)}`,
        new AbortController().signal,
      );
      setSlots((prev) => [...prev, ...page.slots]);
      setCursor(page.nextCursor);
    } catch (err) {
      console.error('lane slots page failed', err);
      setError('Could not load more lanes.');
    }
  }, [cursor, date]);

  async function book(slot: Slot) {
    const key = `${slot.laneId}-${slot.sessionStart}`;
    setBooking(key);
    setError(null);
    try {
      const res = await fetch(`/api/lido/lanes/${slot.laneId}/bookings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ sessionStart: slot.sessionStart }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.status === 409) {
        setError('Someone just took that lane.');
      } else if (!res.ok) {
        setError('Booking failed, please try again.');
      } else {
        setSlots((prev) => prev.map((s) => (`${s.laneId}-${s.sessionStart}` === key ? { ...s, available: false } : s)));
      }
    } catch (err) {
      console.error('lane booking request failed', err);
      setError('Booking timed out, please check your bookings before retrying.');
    } finally {
      setBooking(null);
    }
  }

  return (
    <section className={styles.board} aria-live="polite">
      {error && <p className={styles.error}>{error}</p>}
      <ul className={styles.grid}>
        {slots.map((s) => {
          const key = `${s.laneId}-${s.sessionStart}`;
          return (
            <li key={key} className={s.available ? styles.free : styles.taken}>
              <span>{s.laneName}</span>
              <time dateTime={s.sessionStart}>{new Date(s.sessionStart).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
              <button disabled={!s.available || booking === key} onClick={() => book(s)}>
                {booking === key ? 'Booking…' : s.available ? 'Book' : 'Taken'}
              </button>
            </li>
          );
        })}
      </ul>
      {cursor && (
        <button className={styles.more} onClick={loadMore}>
          Show later sessions
        </button>
      )}
    </section>
  );
}
