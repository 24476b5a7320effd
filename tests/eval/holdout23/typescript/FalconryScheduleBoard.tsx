import { useCallback, useEffect, useState } from 'react';

type Display = {
  id: string;
  startsAt: string;
  arena: string;
  handler: string;
  birds: { name: string; species: string }[];
  status: 'scheduled' | 'weather-hold' | 'cancelled';
};

type Page = { items: Display[]; nextCursor: string | null };

const PAGE_SIZE = 20;
const REQUEST_TIMEOUT_MS = 10_000;

async function fetchDisplays(venueId: string, day: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
  const params = new URLSearchParams({ day, limit: String(PAGE_SIZE) });
  if (cursor) params.set('cursor', cursor);
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const res = await fetch(`/api/venues/${encodeURIComponent(venueId)}/displays?${params}`, {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!res.ok) throw new Error(`Schedule request failed (${res.status})`);
  return res.json();
}

const statusLabel: Record<Display['status'], string> = {
  scheduled: 'On',
  'weather-hold': 'Weather hold',
  cancelled: 'Cancelled',
};

export default function FalconryScheduleBoard({ venueId, day }: { venueId: string; day: string }) {
  const [displays, setDisplays] = useState<Display[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setDisplays([]);
    fetchDisplays(venueId, day, null, controller.signal)
      .then((page) => {
        setDisplays(page.items);
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return; // venue/day changed or unmounted
        console.error('falconry schedule load failed', err);
        setError("Could not load today's flying displays.");
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [venueId, day]);

  const loadMore = useCallback(async () => {
    if (!cursor || loading) return;
    setLoading(true);
    try {
      const page = await fetchDisplays(venueId, day, cursor);
      setDisplays((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      console.error('falconry schedule page failed', err);
      setError('Could not load more displays.');
    } finally {
      setLoading(false);
    }
  }, [venueId, day, cursor, loading]);

  return (
    <section aria-labelledby="display-heading" className="schedule-board">
      <h2 id="display-heading">Flying displays · {day}</h2>
      {error && <p role="alert" className="schedule-error">{error}</p>}
      <ol className="schedule-list">
        {displays.map((d) => (
          <li key={d.id} className={`schedule-item schedule-item--${d.status}`}>
            <time dateTime={d.startsAt}>
              {new Date(d.startsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </time>
            <span className="arena">{d.arena}</span>
            <span className="birds">
              {d.birds.map((b) => `${b.name} (${b.species})`).join(', ')}
            </span>
            <span className="handler">with {d.handler}</span>
            <span className="status">{statusLabel[d.status]}</span>
          </li>
        ))}
      </ol>
      {loading && <p aria-live="polite">Loading…</p>}
      {!loading && cursor && (
        <button type="button" onClick={loadMore}>
          Show later displays
        </button>
      )}
      {!loading && displays.length === 0 && !error && <p>No displays scheduled.</p>}
    </section>
  );
}
