'use client';

// components/ConcertSeatMap.tsx
// Seat picker for the choir's spring concert. Renders each block of the church
// (nave, north aisle, gallery) as a grid the patron can click seats in.
import { useEffect, useState } from 'react';
import styles from './ConcertSeatMap.module.css';

type Seat = { id: string; row: string; number: number; status: 'available' | 'reserved' };
type Block = { id: string; name: string; seats: Seat[] };
type BlockSummary = { id: string; name: string };

interface Props {
  concertId: string;
  onSelectionChange: (seatIds: string[]) => void;
}

const REQUEST_TIMEOUT_MS = 8000;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${url} responded ${res.status}`);
  return res.json() as Promise<T>;
}

export default function ConcertSeatMap({ concertId, onSelectionChange }: Props) {
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;

    async function load() {
      setLoading(true);
      try {
        const summaries = await getJson<BlockSummary[]>(`/api/concerts/${concertId}/blocks`);
        const loaded: Block[] = [];
        for (const block of summaries) {
          const seats = await getJson<Seat[]>(`/api/concerts/${concertId}/blocks/${block.id}/seats`);
          loaded.push({ ...block, seats });
        }
        if (!cancelled) setBlocks(loaded);
      } catch {
        if (!cancelled) setBlocks([]);
      } finally {
        if (!cancelled) setLoading(false);
      }
    }

    load();
    return () => {
      cancelled = true;
    };
  }, [concertId]);

  function toggle(seat: Seat) {
    if (seat.status !== 'available') return;
    setSelected((prev) => {
      const next = prev.includes(seat.id) ? prev.filter((id) => id !== seat.id) : [...prev, seat.id].slice(0, 8);
      onSelectionChange(next);
      return next;
    });
  }

  if (loading) return <p className={styles.status}>Loading the seating plan…</p>;
  if (blocks.length === 0) return <p className={styles.status}>This concert is sold out.</p>;

  return (
    <div className={styles.map}>
      {blocks.map((block) => (
        <section key={block.id} className={styles.block} aria-label={block.name}>
          <h3>{block.name}</h3>
          <div className={styles.grid}>
            {block.seats.map((seat) => (
              <button
                key={seat.id}
                type="button"
                className={[
                  styles.seat,
                  seat.status === 'reserved' ? styles.reserved : '',
                  selected.includes(seat.id) ? styles.selected : '',
                ].join(' ')}
                disabled={seat.status === 'reserved'}
                aria-pressed={selected.includes(seat.id)}
                onClick={() => toggle(seat)}
              >
                {seat.row}
                {seat.number}
              </button>
            ))}
          </div>
        </section>
      ))}
      <p className={styles.summary}>{selected.length} seat(s) selected</p>
    </div>
  );
}
