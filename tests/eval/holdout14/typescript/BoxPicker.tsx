'use client';

// components/subscription/BoxPicker.tsx — choose next month's coffee box
import { useCallback, useEffect, useState } from 'react';
import styles from './BoxPicker.module.css';

type Box = {
  id: string;
  name: string;
  origin: string;
  roastLevel: 'light' | 'medium' | 'dark';
  tastingNotes: string[];
  priceCents: number;
};

type Page = { boxes: Box[]; nextCursor: string | null };

async function loadBoxes(cursor: string | null, signal: AbortSignal): Promise<Page> {
  const qs = new URLSearchParams({ limit: '12', ...(cursor ? { cursor } : {}) });
  const res = await fetch(`/api/boxes?${qs}`, { signal });
  if (!res.ok) throw new Error(`Could not load boxes (${res.status})`);
  return res.json();
}

export function BoxPicker({ subscriptionId, selectedId }: { subscriptionId: string; selectedId?: string }) {
  const [boxes, setBoxes] = useState<Box[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState(selectedId);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    loadBoxes(null, controller.signal)
      .then((page) => {
        setBoxes(page.boxes);
        setCursor(page.nextCursor);
      })
      .catch((err) => {
        if (err.name !== 'AbortError') setError(err.message);
      })
      .finally(() => clearTimeout(timer));
    return () => controller.abort();
  }, []);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    try {
      const page = await loadBoxes(cursor, AbortSignal.timeout(10_000));
      setBoxes((prev) => [...prev, ...page.boxes]);
      setCursor(page.nextCursor);
    } catch (err) {
      console.error('loading more boxes failed', err);
      setError('Could not load more boxes. Please try again.');
    }
  }, [cursor]);

  async function choose(boxId: string) {
    setSaving(true);
    setError(null);
    try {
      const res = await fetch(`/api/subscriptions/${subscriptionId}/next-box`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ boxId }),
        signal: AbortSignal.timeout(8_000),
      });
      if (!res.ok) throw new Error(`save failed (${res.status})`);
      setSelected(boxId);
    } catch (err) {
      console.error('saving box choice failed', err);
      setError('We could not save your choice. Nothing was changed.');
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className={styles.picker}>
      {error && <p role="alert" className={styles.error}>{error}</p>}
      <ul className={styles.grid}>
        {boxes.map((box) => (
          <li key={box.id} className={box.id === selected ? styles.cardSelected : styles.card}>
            <h3>{box.name}</h3>
            <p className={styles.origin}>{box.origin} · {box.roastLevel} roast</p>
            <p className={styles.notes}>{box.tastingNotes.join(', ')}</p>
            <button disabled={saving || box.id === selected} onClick={() => choose(box.id)}>
              {box.id === selected ? 'Selected' : `Choose · $${(box.priceCents / 100).toFixed(2)}`}
            </button>
          </li>
        ))}
      </ul>
      {cursor && <button className={styles.more} onClick={loadMore}>Show more boxes</button>}
    </section>
  );
}
