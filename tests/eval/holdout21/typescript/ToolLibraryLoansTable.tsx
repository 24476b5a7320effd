'use client';
// components/ToolLibraryLoansTable.tsx — volunteer desk view of tools currently out on loan.
// Paginated from /api/loans (25 per page); overdue loans are highlighted.
import { useCallback, useEffect, useRef, useState } from 'react';

type Loan = {
  id: number;
  toolName: string;
  memberName: string;
  dueAt: string;
};

type Page = { loans: Loan[]; nextCursor: number | null };

const PAGE_SIZE = 25;
const REQUEST_TIMEOUT_MS = 8000;

async function fetchLoans(cursor: number | null, signal: AbortSignal): Promise<Page> {
  const qs = new URLSearchParams({ status: 'open', limit: String(PAGE_SIZE) });
  if (cursor !== null) qs.set('cursor', String(cursor));
  const res = await fetch(`/api/loans?${qs}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  });
  if (!res.ok) throw new Error(`loans request failed: ${res.status}`);
  return res.json();
}

export default function ToolLibraryLoansTable() {
  const [loans, setLoans] = useState<Loan[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const controllerRef = useRef<AbortController | null>(null);

  const loadMore = useCallback(async () => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    try {
      const page = await fetchLoans(cursor, controller.signal);
      setLoans((prev) => [...prev, ...page.loans]);
      setCursor(page.nextCursor);
      setHasMore(page.nextCursor !== null);
      setError(null);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      console.error('failed to load loans', err);
      setError('Could not load loans — check the connection and try again.');
    } finally {
      setLoading(false);
    }
  }, [cursor]);

  useEffect(() => {
    loadMore();
    return () => controllerRef.current?.abort();
    // first page only; later pages come from the button
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const now = Date.now();

  return (
    <section className="loans-table">
      <h2>Tools out on loan</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <table>
        <thead>
          <tr><th>Tool</th><th>Member</th><th>Due</th></tr>
        </thead>
        <tbody>
          {loans.map((loan) => (
            <tr key={loan.id} className={new Date(loan.dueAt).getTime() < now ? 'overdue' : undefined}>
              <td>{loan.toolName}</td>
              <td>{loan.memberName}</td>
              <td>{new Date(loan.dueAt).toLocaleDateString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasMore && (
        <button type="button" onClick={loadMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
