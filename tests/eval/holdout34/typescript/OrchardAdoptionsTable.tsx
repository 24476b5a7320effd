"use client";

// components/OrchardAdoptionsTable.tsx
// Heritage orchard tree adoptions - the volunteer coordinator's table of
// adopted trees (variety, adopter, next pruning visit). Paged from the API.

import { useCallback, useEffect, useState } from "react";
import styles from "./OrchardAdoptionsTable.module.css";

type Adoption = {
  id: number;
  treeTag: string;
  variety: string; // e.g. "Ashmead's Kernel", "Bramley", "Tom Putt"
  adopterName: string;
  adoptedOn: string;
  nextPruningVisit: string | null;
};

type PageResponse = { items: Adoption[]; nextCursor: string | null };

const REQUEST_TIMEOUT_MS = 8000;

async function fetchAdoptionsPage(orchardId: string, cursor: string | null, signal: AbortSignal) {
  const params = new URLSearchParams({ limit: "25" });
  if (cursor) params.set("cursor", cursor);
  const res = await fetch(`/api/orchards/${orchardId}/adoptions?${params}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    headers: { Accept: "application/json" },
  });
  if (!res.ok) throw new Error(`Could not load adoptions (${res.status})`);
  return (await res.json()) as PageResponse;
}

export default function OrchardAdoptionsTable({ orchardId }: { orchardId: string }) {
  const [rows, setRows] = useState<Adoption[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadMore = useCallback(
    async (signal: AbortSignal, from: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await fetchAdoptionsPage(orchardId, from, signal);
        setRows((prev) => (from ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setHasMore(page.nextCursor !== null);
      } catch (err) {
        if (signal.aborted) return;
        console.error("orchard adoptions load failed", err);
        setError(err instanceof Error ? err.message : "Something went wrong");
      } finally {
        if (!signal.aborted) setLoading(false);
      }
    },
    [orchardId]
  );

  useEffect(() => {
    const controller = new AbortController();
    loadMore(controller.signal, null);
    return () => controller.abort();
  }, [loadMore]);

  return (
    <section className={styles.wrapper} aria-busy={loading}>
      <h2 className={styles.heading}>Adopted trees</h2>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Variety</th>
            <th scope="col">Adopter</th>
            <th scope="col">Adopted</th>
            <th scope="col">Next pruning</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <td>{a.treeTag}</td>
              <td>{a.variety}</td>
              <td>{a.adopterName}</td>
              <td>{new Date(a.adoptedOn).toLocaleDateString("en-GB")}</td>
              <td>{a.nextPruningVisit ? new Date(a.nextPruningVisit).toLocaleDateString("en-GB") : "-"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasMore && (
        <button
          type="button"
          className={styles.more}
          disabled={loading}
          onClick={() => loadMore(new AbortController().signal, cursor)}
        >
          {loading ? "Loading..." : "Show more trees"}
        </button>
      )}
    </section>
  );
}
