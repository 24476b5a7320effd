// components/RiverAlertsPanel.tsx
// Flood-warden dashboard panel: active river level alerts for the warden's
// catchment, newest first, with "load more" paging. Styles come from the
// compiled CSS module (built by the app's PostCSS pipeline).

"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import styles from "./RiverAlertsPanel.module.css";

type Alert = {
  id: number;
  stationName: string;
  level: "WARNING" | "SEVERE";
  valueM: number;
  raisedAt: string;
};

type Page = { alerts: Alert[]; nextCursor: string | null };

const PAGE_SIZE = 25;
const REFRESH_MS = 60_000;
const REQUEST_TIMEOUT_MS = 8_000;

async function fetchAlerts(catchmentId: string, cursor: string | null, signal: AbortSignal): Promise<Page> {
  const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) qs.set("cursor", cursor);
  const res = await fetch(`/api/catchments/${encodeURIComponent(catchmentId)}/alerts?${qs}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    headers: { accept: "application/json" },
  });
  if (!res.ok) throw new Error(`alerts request failed: ${res.status}`);
  return res.json();
}

export function RiverAlertsPanel({ catchmentId }: { catchmentId: string }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const controllerRef = useRef<AbortController | null>(null);

  const loadFirstPage = useCallback(async () => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    try {
      const page = await fetchAlerts(catchmentId, null, controller.signal);
      setAlerts(page.alerts);
      setCursor(page.nextCursor);
      setError(null);
    } catch (err) {
      if (controller.signal.aborted) return;
      console.error("river alerts refresh failed", err);
      setError("Couldn't refresh alerts — showing the last data we had.");
    } finally {
      setLoading(false);
    }
  }, [catchmentId]);

  useEffect(() => {
    loadFirstPage();
    const timer = window.setInterval(loadFirstPage, REFRESH_MS);
    return () => {
      window.clearInterval(timer);
      controllerRef.current?.abort();
    };
  }, [loadFirstPage]);

  async function loadMore() {
    if (!cursor) return;
    const controller = new AbortController();
    controllerRef.current = controller;
    try {
      const page = await fetchAlerts(catchmentId, cursor, controller.signal);
      setAlerts((prev) => [...prev, ...page.alerts]);
      setCursor(page.nextCursor);
    } catch (err) {
      console.error("river alerts paging failed", err);
      setError("Couldn't load older alerts.");
    }
  }

  return (
    <section className={styles.panel} aria-busy={loading}>
      <h2 className={styles.heading}>Active river alerts</h2>
      {error && <p role="alert" className={styles.error}>{error}</p>}
      <ul className={styles.list}>
        {alerts.map((a) => (
          <li key={a.id} className={a.level === "SEVERE" ? styles.severe : styles.warning}>
            <strong>{a.stationName}</strong> {a.level.toLowerCase()} — {a.valueM.toFixed(2)} m
            <time dateTime={a.raisedAt}> {new Date(a.raisedAt).toLocaleString("en-GB")}</time>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" className={styles.more} onClick={loadMore}>
          Load older alerts
        </button>
      )}
    </section>
  );
}
