'use client';

// components/DropCountdown.tsx — countdown + live "pairs left" for a sneaker release page
import { useEffect, useState } from 'react';
import styles from './DropCountdown.module.css';

type DropState = { releaseAt: string; pairsLeft: number; status: 'upcoming' | 'live' | 'sold_out' };

export default function DropCountdown({ dropId, initial }: { dropId: string; initial: DropState }) {
  const [state, setState] = useState<DropState>(initial);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);

  useEffect(() => {
    if (state.status === 'sold_out') return;
    const poll = setInterval(async () => {
      try {
        const res = await fetch(`/api/drops/${dropId}/state`, { signal: AbortSignal.timeout(5000), cache: 'no-store' });
        if (res.ok) setState(await res.json());
      } catch (err) {
        console.warn('drop state poll failed, will retry on next tick', err);
      }
    }, 10_000);
    return () => clearInterval(poll);
  }, [dropId, state.status]);

  const msLeft = Math.max(0, new Date(state.releaseAt).getTime() - now);
  const h = Math.floor(msLeft / 3_600_000);
  const m = Math.floor((msLeft % 3_600_000) / 60_000);
  const s = Math.floor((msLeft % 60_000) / 1000);

  return (
    <div className={styles.wrap}>
      {state.status === 'upcoming' && (
        <p className={styles.timer}>
          {String(h).padStart(2, '0')}:{String(m).padStart(2, '0')}:{String(s).padStart(2, '0')}
        </p>
      )}
      {state.status === 'live' && <p className={styles.live}>LIVE — {state.pairsLeft} pairs left</p>}
      {state.status === 'sold_out' && <p className={styles.soldOut}>Sold out</p>}
    </div>
  );
}
