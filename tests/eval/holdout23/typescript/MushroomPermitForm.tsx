'use client';

import { FormEvent, useEffect, useRef, useState } from 'react';

type Zone = { id: string; name: string; dailyLimitKg: number };
type Result = { kind: 'ok'; permitNumber: string } | { kind: 'error'; message: string } | null;

const SPECIES = ['Chanterelle', 'Cep / Penny bun', 'Hedgehog fungus', 'Chicken of the woods', 'Wood blewit'];

export function MushroomPermitForm({ estateId }: { estateId: string }) {
  const [zones, setZones] = useState<Zone[]>([]);
  const [zoneError, setZoneError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<Result>(null);
  // One key per filled-in form: a double click or a retried request can't create two permits.
  const idempotencyKey = useRef<string>(crypto.randomUUID());

  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/estates/${encodeURIComponent(estateId)}/zones?open=true&limit=50`, {
      signal: AbortSignal.any([controller.signal, AbortSignal.timeout(8000)]),
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`zones request failed (${res.status})`);
        setZones(await res.json());
      })
      .catch((err) => {
        if (controller.signal.aborted) return;
        console.error('zone list failed', err);
        setZoneError('Could not load the foraging zones. Please reload the page.');
      });
    return () => controller.abort();
  }, [estateId]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setResult(null);
    const form = new FormData(e.currentTarget);
    try {
      const res = await fetch(`/api/estates/${encodeURIComponent(estateId)}/permits`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey.current },
        body: JSON.stringify({
          zoneId: form.get('zoneId'),
          applicantName: form.get('name'),
          applicantEmail: form.get('email'),
          species: form.getAll('species'),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await res.json();
      if (!res.ok) {
        setResult({ kind: 'error', message: body.error ?? `Request failed (${res.status})` });
        return;
      }
      setResult({ kind: 'ok', permitNumber: body.permitNumber });
      idempotencyKey.current = crypto.randomUUID();
    } catch (err) {
      console.error('permit submission failed', err);
      setResult({ kind: 'error', message: 'Network problem, please try again. Your application will not be duplicated.' });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="permit-form" aria-busy={submitting}>
      <label>
        Full name <input name="name" required autoComplete="name" />
      </label>
      <label>
        Email <input name="email" type="email" required autoComplete="email" />
      </label>
      <label>
        Zone
        <select name="zoneId" required disabled={zones.length === 0}>
          {zones.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name} (max {z.dailyLimitKg} kg/day)
            </option>
          ))}
        </select>
      </label>
      {zoneError && <p role="alert">{zoneError}</p>}
      <fieldset>
        <legend>Species you intend to pick</legend>
        {SPECIES.map((s) => (
          <label key={s}>
            <input type="checkbox" name="species" value={s} /> {s}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={submitting}>
        {submitting ? 'Sending…' : 'Apply for permit'}
      </button>
      {result?.kind === 'ok' && <p role="status">Permit {result.permitNumber} issued. Check your email.</p>}
      {result?.kind === 'error' && <p role="alert">{result.message}</p>}
    </form>
  );
}
