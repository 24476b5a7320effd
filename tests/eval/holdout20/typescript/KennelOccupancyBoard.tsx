'use client';

// Front-desk board for the kennel: which runs are occupied, by whom, until when.
// Polls the API every 30 s while the tab is visible.
import { useCallback, useEffect, useRef, useState } from 'react';

type Run = {
  runId: string;
  label: string;
  size: 'small' | 'medium' | 'large';
  dogName: string | null;
  checkOutDate: string | null;
  needsMedication: boolean;
};

type Page = { runs: Run[]; nextCursor: string | null };

const POLL_MS = 30_000;
const REQUEST_TIMEOUT_MS = 8_000;

export default function KennelOccupancyBoard({ kennelId }: { kennelId: string }) {
  const [runs, setRuns] = useState<Run[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const inFlight = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);

    try {
      const res = await fetch(`/api/kennels/${encodeURIComponent(kennelId)}/runs?limit=60`, {
        signal: controller.signal,
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page: Page = await res.json();
      setRuns(page.runs);
      setError(null);
    } catch (err) {
      console.error('occupancy refresh failed', err);
      // A poll that was superseded by a newer one doesn't get to overwrite the banner.
      if (inFlight.current === controller) {
        setError('Could not refresh the board. Showing the last known state.');
      }
    } finally {
      clearTimeout(timer);
      setLoading(false);
    }
  }, [kennelId]);

  useEffect(() => {
    load();
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') load();
    }, POLL_MS);
    return () => {
      clearInterval(id);
      inFlight.current?.abort();
    };
  }, [load]);

  const occupied = runs.filter((r) => r.dogName !== null).length;

  return (
    <section aria-labelledby="board-title" className="kennel-board">
      <h2 id="board-title">
        Runs occupied: {occupied} / {runs.length}
      </h2>
      {error && <p role="status" className="kennel-board__error">{error}</p>}
      {loading ? (
        <p>Loading…</p>
      ) : (
        <ul className="kennel-board__grid">
          {runs.map((run) => (
            <li key={run.runId} className={run.dogName ? 'is-occupied' : 'is-free'}>
              <span className="kennel-board__label">{run.label}</span>
              <span className="kennel-board__size">{run.size}</span>
              {run.dogName ? (
                <>
                  <strong>{run.dogName}</strong>
                  {run.checkOutDate && <span> until {new Date(run.checkOutDate).toLocaleDateString()}</span>}
                  {run.needsMedication && <span className="kennel-board__med" title="Medication due">💊</span>}
                </>
              ) : (
                <em>free</em>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
