"use client";

// components/PumpOutBookingForm.tsx — boaters book a pump-out at the marina service wharf.
import { FormEvent, useEffect, useMemo, useState } from "react";
import styles from "./PumpOutBookingForm.module.css";

type WharfDay = { wharfId: string; wharfName: string; day: string; slotsLeft: number };

const REQUEST_TIMEOUT_MS = 8000;

async function postJson<T>(url: string, body: unknown, idempotencyKey: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const isJson = (res.headers.get("content-type") ?? "").includes("application/json");
  const data = isJson ? await res.json() : {};
  if (!res.ok) throw new Error(data.error ?? `Booking failed (${res.status})`);
  return data as T;
}

export default function PumpOutBookingForm({ marinaId }: { marinaId: string }) {
  const [days, setDays] = useState<WharfDay[]>([]);
  const [selected, setSelected] = useState<string>("");
  const [boatName, setBoatName] = useState("");
  const [licenceNo, setLicenceNo] = useState("");
  const [status, setStatus] = useState<"idle" | "saving" | "done">("idle");
  const [error, setError] = useState<string | null>(null);
  // One key per form instance, so a double-click or a retry after a timeout books once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);

  useEffect(() => {
    let unmounted = false;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    fetch(`/api/marinas/${marinaId}/wharf-days?from=today&limit=14`, { signal: controller.signal })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((data: { days: WharfDay[] }) => setDays(data.days))
      .catch((err: Error) => {
        console.error("loading wharf days failed", err);
        if (!unmounted) setError("Couldn't load the wharf calendar. Please refresh.");
      })
      .finally(() => clearTimeout(timer));
    return () => {
      unmounted = true;
      controller.abort();
    };
  }, [marinaId]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const day = days.find((d) => `${d.wharfId}|${d.day}` === selected);
    if (!day) return setError("Pick a day");
    setStatus("saving");
    setError(null);
    try {
      await postJson(`/api/marinas/${marinaId}/pumpouts`, { wharfId: day.wharfId, date: day.day, boatName, licenceNo }, idempotencyKey);
      setStatus("done");
    } catch (err) {
      console.error("pump-out booking failed", err);
      setError(err instanceof Error ? err.message : "Booking failed");
      setStatus("idle");
    }
  }

  if (status === "done") {
    return <p className={styles.success}>Booked — bring your boat to the wharf pontoon on the day.</p>;
  }

  return (
    <form className={styles.form} onSubmit={onSubmit}>
      <label className={styles.field}>
        Day
        <select value={selected} onChange={(e) => setSelected(e.target.value)} required>
          <option value="">Choose…</option>
          {days.map((d) => (
            <option key={`${d.wharfId}|${d.day}`} value={`${d.wharfId}|${d.day}`} disabled={d.slotsLeft === 0}>
              {d.wharfName} — {new Date(d.day).toLocaleDateString("en-GB")} ({d.slotsLeft} left)
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        Boat name
        <input value={boatName} onChange={(e) => setBoatName(e.target.value)} required maxLength={60} />
      </label>
      <label className={styles.field}>
        CRT licence no.
        <input value={licenceNo} onChange={(e) => setLicenceNo(e.target.value)} required pattern="[0-9]{5,7}" />
      </label>
      {error && <p className={styles.error} role="alert">{error}</p>}
      <button className={styles.submit} disabled={status === "saving"}>
        {status === "saving" ? "Booking…" : "Book pump-out"}
      </button>
    </form>
  );
}
