'use client';
// components/TruckMenu.tsx — menu + cart for a single food truck.
// Styles come from the compiled Tailwind build imported in app/layout.tsx (./globals.css).
import { useEffect, useMemo, useState } from 'react';
import styles from './TruckMenu.module.css';

type MenuItem = { id: number; name: string; priceCents: number; portionsLeft: number; tags: string[] };
type Cart = Record<number, number>;

const money = (c: number) => (c / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });

export default function TruckMenu({ truckId }: { truckId: string }) {
  const [items, setItems] = useState<MenuItem[]>([]);
  const [cart, setCart] = useState<Cart>({});
  const [error, setError] = useState<string | null>(null);
  const [placing, setPlacing] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 8000);
    fetch(`/api/trucks/${truckId}/menu`, { signal: ctrl.signal })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`menu ${r.status}`))))
      .then(setItems)
      .catch((e) => {
        if (e.name !== 'AbortError') setError('Could not load the menu. Pull to refresh.');
        console.error('menu load failed', e);
      })
      .finally(() => clearTimeout(timer));
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [truckId]);

  const total = useMemo(
    () => items.reduce((sum, it) => sum + (cart[it.id] ?? 0) * it.priceCents, 0),
    [items, cart],
  );

  function add(it: MenuItem) {
    setCart((c) => ({ ...c, [it.id]: Math.min((c[it.id] ?? 0) + 1, it.portionsLeft) }));
  }

  async function placeOrder() {
    setPlacing(true);
    setError(null);
    try {
      const res = await fetch(`/api/trucks/${truckId}/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ items: Object.entries(cart).map(([id, qty]) => ({ menuItemId: Number(id), qty })) }),
        signal: AbortSignal.timeout(10000),
      });
      if (res.status === 409) {
        setError((await res.json()).error);
        return;
      }
      if (!res.ok) throw new Error(`order failed: ${res.status}`);
      setCart({});
    } catch (e) {
      console.error(e);
      setError('Order failed, please try again.');
    } finally {
      setPlacing(false);
    }
  }

  return (
    <section className={styles.menu}>
      {error && <p className="rounded bg-red-50 p-2 text-red-700">{error}</p>}
      <ul className="divide-y">
        {items.map((it) => (
          <li key={it.id} className="flex items-center justify-between py-3">
            <span>
              {it.name} <small className="text-slate-500">{money(it.priceCents)}</small>
            </span>
            <button disabled={it.portionsLeft === 0} onClick={() => add(it)} className={styles.add}>
              {it.portionsLeft === 0 ? 'Sold out' : `Add (${cart[it.id] ?? 0})`}
            </button>
          </li>
        ))}
      </ul>
      <button className={styles.checkout} disabled={placing || total === 0} onClick={placeOrder}>
        {placing ? 'Placing…' : `Order · ${money(total)}`}
      </button>
    </section>
  );
}
