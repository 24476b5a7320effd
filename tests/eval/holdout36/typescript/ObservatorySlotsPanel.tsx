// components/ObservatorySlotsPanel.tsx
// Dark-sky observatory: members pick a telescope slot for tonight. The list comes from the
// slots API (one night, at most 96 slots); holding a slot is a single POST.
import { useCallback, useEffect, useState } from 'react';

type Slot = {
  id: string;
  telescope: string;
  startsAt: string;
  taken: boolean;
};

type Props = {
  observatoryId: string;
  night: string; // YYYY-MM-DD
};

const REQUEST_TIMEOUT_MS = 8000;

export default function ObservatorySlotsPanel({ observatoryId, night }: Props) {
  const [slots, setSlots] = useState<Slot[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);

    fetch(`/api/observatories/${observatoryId}/nights/${night}/slots`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`Could not load slots (${res.status})`);
        const body = (await res.json()) as { slots: Slot[] };
        if (!cancelled) setSlots(body.slots);
      })
      .catch((err: Error) => {
        if (!cancelled) setError(err.message);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });

    return () => {
      cancelled = true;
    };
  }, [observatoryId, night, reloadKey]);

  const hold = useCallback(
    async (slotId: string) => {
      setPendingId(slotId);
      setError(null);
      try {
        const res = await fetch(`/api/observatories/${observatoryId}/slots/${slotId}/hold`, {
          method: 'POST',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (res.status === 409) {
          setError('Someone else has just taken that slot.');
        } else if (!res.ok) {
          throw new Error(`Hold failed (${res.status})`);
        }
      } catch (err) {
        setError(err instanceof Error ? err.message : 'Hold failed');
      } finally {
        setPendingId(null);
        setReloadKey((k) => k + 1);
      }
    },
    [observatoryId],
  );

  if (loading) return <p className="slots__status">Loading tonight&apos;s slots…</p>;

  return (
    <section className="slots" aria-labelledby="slots-heading">
      <h2 id="slots-heading">Telescope slots for {new Date(night).toLocaleDateString('en-GB')}</h2>
      {error && (
        <p role="alert" className="slots__error">
          {error}
        </p>
      )}
      <table className="slots__table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Telescope</th>
            <th scope="col" aria-label="Action" />
          </tr>
        </thead>
        <tbody>
          {slots.map((slot) => (
            <tr key={slot.id} className={slot.taken ? 'slots__row--taken' : undefined}>
              <td>{new Date(slot.startsAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}</td>
              <td>{slot.telescope}</td>
              <td>
                <button type="button" disabled={slot.taken || pendingId !== null} onClick={() => hold(slot.id)}>
                  {pendingId === slot.id ? 'Holding…' : slot.taken ? 'Taken' : 'Hold'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
