'use client';
// Community orchard pruning-day calendar: shows upcoming pruning days for one orchard,
// a month at a time, and lets members sign up via the server action in ./actions.
import { useEffect, useState } from 'react';
import { signUpForPruningDay } from './actions';

type PruningDay = {
  id: string;
  date: string;
  trees: string[];
  leader: string;
  spacesLeft: number;
};

type Props = { orchardId: string; initialMonth: string };

const REQUEST_TIMEOUT_MS = 8000;

export function OrchardPruningCalendar({ orchardId, initialMonth }: Props) {
  const [month, setMonth] = useState(initialMonth);
  const [days, setDays] = useState<PruningDay[]>([]);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setStatus('loading');

    fetch(`/api/orchards/${orchardId}/pruning-days?month=${month}&limit=31`, {
      signal: controller.signal,
    })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json() as Promise<{ days: PruningDay[] }>;
      })
      .then((body) => {
        setDays(body.days);
        setStatus('ready');
      })
      .catch((err: unknown) => {
        console.error('Failed to load pruning days', err);
        setStatus('error');
      })
      .finally(() => clearTimeout(timer));

    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [orchardId, month]);

  async function handleSignUp(dayId: string) {
    const result = await signUpForPruningDay({ orchardId, dayId });
    setMessage(result.ok ? 'You are signed up — bring gloves and secateurs.' : result.error);
    if (result.ok) {
      setDays((prev) =>
        prev.map((d) => (d.id === dayId ? { ...d, spacesLeft: result.spacesLeft } : d))
      );
    }
  }

  return (
    <section aria-labelledby="pruning-heading">
      <header className="calendar-header">
        <h2 id="pruning-heading">Pruning days</h2>
        <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </header>
      {status === 'loading' && <p>Loading…</p>}
      {status === 'error' && <p role="alert">Could not load pruning days. Try again shortly.</p>}
      {message && <p role="status">{message}</p>}
      <ul className="pruning-list">
        {days.map((day) => (
          <li key={day.id}>
            <time dateTime={day.date}>{new Date(day.date).toLocaleDateString('en-GB')}</time>
            <span>{day.trees.join(', ')}</span>
            <span>Led by {day.leader}</span>
            <button disabled={day.spacesLeft === 0} onClick={() => handleSignUp(day.id)}>
              {day.spacesLeft === 0 ? 'Full' : `Join (${day.spacesLeft} left)`}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
