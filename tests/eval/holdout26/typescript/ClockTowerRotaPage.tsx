// pages/rota/[towerId].tsx
// Printable winding rota for the town's clock towers. Volunteers wind the
// movement twice a week; the parish office pins this page up in the vestry.
import { useEffect, useState } from 'react';
import Head from 'next/head';
import { useRouter } from 'next/router';

type Shift = {
  id: string;
  date: string; // ISO date
  slot: 'tuesday-am' | 'friday-pm';
  volunteerId: string;
  weightsChecked: boolean;
};

type Volunteer = {
  id: string;
  name: string;
  phone: string;
  hasTowerKey: boolean;
};

type Row = Shift & { volunteer?: Volunteer };

export default function ClockTowerRotaPage() {
  const { query, isReady } = useRouter();
  const towerId = query.towerId as string | undefined;
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!isReady || !towerId) return;
    const ctrl = new AbortController();

    (async () => {
      try {
        const res = await fetch(`/api/towers/${towerId}/shifts?weeks=8`, {
          signal: AbortSignal.any([ctrl.signal, AbortSignal.timeout(8000)]),
        });
        if (!res.ok) throw new Error(`shifts: ${res.status}`);
        const shifts: Shift[] = await res.json();

        const withPeople: Row[] = [];
        for (const shift of shifts) {
          const v = await fetch(`/api/volunteers/${shift.volunteerId}`, {
            signal: AbortSignal.any([ctrl.signal, AbortSignal.timeout(8000)]),
          });
          withPeople.push({ ...shift, volunteer: v.ok ? await v.json() : undefined });
        }
        setRows(withPeople);
      } catch (e) {
        if (!ctrl.signal.aborted) setError((e as Error).message);
      }
    })();

    return () => ctrl.abort();
  }, [isReady, towerId]);

  return (
    <>
      <Head>
        <title>Winding rota</title>
        <script src="https://cdn.tailwindcss.com"></script>
      </Head>
      <main className="mx-auto max-w-3xl p-8 print:p-0">
        <h1 className="mb-4 text-2xl font-semibold">Clock tower winding rota</h1>
        {error && <p className="rounded bg-red-50 p-3 text-red-700">Could not load rota: {error}</p>}
        <table className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b text-left">
              <th className="py-2">Date</th>
              <th>Slot</th>
              <th>Volunteer</th>
              <th>Phone</th>
              <th>Key</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b last:border-0">
                <td className="py-2">{new Date(r.date).toLocaleDateString('en-GB')}</td>
                <td>{r.slot === 'tuesday-am' ? 'Tue morning' : 'Fri evening'}</td>
                <td>{r.volunteer?.name ?? '—'}</td>
                <td>{r.volunteer?.phone ?? ''}</td>
                <td>{r.volunteer?.hasTowerKey ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  );
}
