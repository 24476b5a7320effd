'use client';

// components/ChargerStatusPanel.tsx
// Live availability of the EV bays on one garage level. Polls our own API; when the
// API is struggling we back off (exponential, with jitter, capped at 2 minutes)
// instead of hammering it from every phone in the garage.

import { useEffect, useRef, useState } from 'react';
import styles from './ChargerStatusPanel.module.css';

type Bay = { id: number; label: string; status: 'available' | 'charging' | 'faulted'; kw: number | null };

const BASE_MS = 10_000;
const MAX_MS = 120_000;

export default function ChargerStatusPanel({ level }: { level: string }) {
  const [bays, setBays] = useState<Bay[]>([]);
  const [stale, setStale] = useState(false);
  const failures = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    let cancelled = false;

    async function poll() {
      try {
        const res = await fetch(`/api/levels/${encodeURIComponent(level)}/bays`, {
          signal: AbortSignal.timeout(5_000),
          cache: 'no-store',
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data: Bay[] = await res.json();
        if (cancelled) return;
        setBays(data);
        setStale(false);
        failures.current = 0;
      } catch (err) {
        console.warn('bay status poll failed', err);
        if (cancelled) return;
        setStale(true);
        failures.current = Math.min(failures.current + 1, 10);
      }
      const backoff = Math.min(MAX_MS, BASE_MS * 2 ** failures.current);
      const delay = failures.current === 0 ? BASE_MS : backoff / 2 + Math.random() * (backoff / 2);
      if (!cancelled) timer = setTimeout(poll, delay);
    }

    poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [level]);

  return (
    <section className={styles.panel}>
      <header className={styles.header}>
        Level {level} {stale && <span className={styles.stale}>· reconnecting…</span>}
      </header>
      <ul className={styles.grid}>
        {bays.map((b) => (
          <li key={b.id} className={`${styles.bay} ${styles[b.status]}`}>
            <span className={styles.label}>{b.label}</span>
            <span>{b.status === 'charging' && b.kw != null ? `${b.kw.toFixed(1)} kW` : b.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
