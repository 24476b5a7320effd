'use client';

// Field-station dashboard panel: last 24 h of melt readings for one stake sensor.
// Polls our own API once a minute while the tab is visible.
import { useCallback, useEffect, useRef, useState } from 'react';

type Reading = { taken_at: string; melt_mm: number; surface_temp_c: number };

const POLL_MS = 60_000;
const TIMEOUT_MS = 10_000;

async function loadReadings(sensorId: string, signal: AbortSignal): Promise<Reading[]> {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const res = await fetch(
    `/api/sensors/${encodeURIComponent(sensorId)}/readings?after=${since}&limit=1500`,
    { signal, cache: 'no-store' },
  );
  if (!res.ok) throw new Error(`readings request failed: ${res.status}`);
  const body = (await res.json()) as { readings: Reading[] };
  return body.readings;
}

export default function GlacierSensorPanel({ sensorId, label }: { sensorId: string; label: string }) {
  const [readings, setReadings] = useState<Reading[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('loading');
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      setReadings(await loadReadings(sensorId, controller.signal));
      setStatus('idle');
    } catch (err) {
      if (inFlight.current !== controller) return; // superseded by a newer refresh
      console.error(`sensor ${sensorId}: refresh failed`, err);
      setStatus('error');
    } finally {
      clearTimeout(timeout);
    }
  }, [sensorId]);

  useEffect(() => {
    void refresh();
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    return () => {
      window.clearInterval(id);
      inFlight.current?.abort();
      inFlight.current = null;
    };
  }, [refresh]);

  const latest = readings.at(-1);
  const total = readings.reduce((sum, r) => sum + r.melt_mm, 0);

  return (
    <article className="sensor-panel" aria-busy={status === 'loading'}>
      <header>
        <h3>{label}</h3>
        <button type="button" onClick={() => void refresh()}>Refresh</button>
      </header>
      {status === 'error' && <p role="alert">Readings are unavailable right now; retrying next minute.</p>}
      <dl>
        <dt>Melt, last 24 h</dt>
        <dd>{total.toFixed(1)} mm</dd>
        <dt>Surface temperature</dt>
        <dd>{latest ? `${latest.surface_temp_c.toFixed(1)} °C` : '—'}</dd>
        <dt>Last reading</dt>
        <dd>{latest ? new Date(latest.taken_at).toLocaleTimeString() : '—'}</dd>
      </dl>
      <svg viewBox="0 0 240 60" role="img" aria-label={`Melt trend for ${label}`}>
        <polyline
          fill="none"
          stroke="currentColor"
          points={readings
            .map((r, i) => `${(i / Math.max(readings.length - 1, 1)) * 240},${60 - Math.min(r.melt_mm * 6, 60)}`)
            .join(' ')}
        />
      </svg>
    </article>
  );
}
