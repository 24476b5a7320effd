'use client';
// components/RaffleTicketsPanel.tsx
// Lifeboat station open day raffle: a volunteer seller's own ticket stubs,
// loaded a page at a time from /api/raffle/tickets (cursor pagination).
import { useCallback, useEffect, useRef, useState } from 'react';

type TicketStub = {
  id: string;
  firstNumber: number;
  lastNumber: number;
  buyerName: string;
  soldAt: string;
  pricePence: number;
};

type Page = { tickets: TicketStub[]; nextCursor: string | null };

const REQUEST_TIMEOUT_MS = 8000;

const formatPounds = (pence: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(pence / 100);

export default function RaffleTicketsPanel({ raffleId }: { raffleId: string }) {
  const [tickets, setTickets] = useState<TicketStub[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controllerRef = useRef<AbortController | null>(null);

  const loadPage = useCallback(async (after: string | null) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    setError(null);

    const params = new URLSearchParams({ raffleId, limit: '25' });
    if (after) params.set('cursor', after);

    try {
      const res = await fetch(`/api/raffle/tickets?${params}`, {
        signal: AbortSignal.any([controller.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      if (!res.ok) throw new Error(`Server said ${res.status}`);
      const page: Page = await res.json();
      setTickets((prev) => (after ? [...prev, ...page.tickets] : page.tickets));
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
    } catch (err) {
      if (controller.signal.aborted) return; // superseded by a newer request or unmounted
      console.error('raffle tickets load failed', err);
      setError(err instanceof Error ? err.message : 'Could not load tickets');
    } finally {
      if (controllerRef.current === controller) setLoading(false);
    }
  }, [raffleId]);

  useEffect(() => {
    loadPage(null);
    return () => controllerRef.current?.abort();
  }, [loadPage]);

  const total = tickets.reduce((sum, t) => sum + t.pricePence, 0);

  return (
    <section aria-labelledby="raffle-heading" className="rounded-lg border border-orange-200 bg-white p-4">
      <h2 id="raffle-heading" className="text-lg font-semibold text-orange-900">Your ticket stubs</h2>
      <p className="text-sm text-slate-600">Loaded so far: {tickets.length} stubs, {formatPounds(total)}</p>

      <table className="mt-3 w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col">Numbers</th>
            <th scope="col">Buyer</th>
            <th scope="col">Sold</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((t) => (
            <tr key={t.id} className="border-t">
              <td className="tabular-nums">{t.firstNumber}&ndash;{t.lastNumber}</td>
              <td>{t.buyerName}</td>
              <td>{new Date(t.soldAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error} <button type="button" className="underline" onClick={() => loadPage(cursor)}>Try again</button>
        </p>
      )}
      {!done && (
        <button
          type="button"
          disabled={loading}
          onClick={() => loadPage(cursor)}
          className="mt-3 rounded bg-orange-600 px-3 py-1.5 text-white disabled:opacity-50"
        >
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
