// components/ChoirSeatPicker.tsx
// Seat picker for the community choir's concerts, plus the standalone embed page
// the village hall website puts in an iframe (/embed/concerts/[id]).

import { useState } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export type Seat = { code: string; row: string; taken: boolean; restrictedView?: boolean };

type HoldResult = { ok: true; holdId: string } | { ok: false; reason: string };

async function requestHold(concertId: string, seatCode: string): Promise<HoldResult> {
  let attempt = 0;
  while (attempt < 5) {
    const res = await fetch(`/api/concerts/${concertId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seatCode }),
      signal: AbortSignal.timeout(6000),
    });
    if (res.status === 201) return { ok: true, holdId: (await res.json()).holdId };
    if (res.status === 409) return { ok: false, reason: 'Someone has just taken that seat' };
    // 503 while the box office server is busy on ticket-release evenings
    attempt++;
  }
  return { ok: false, reason: 'The box office is busy, please try again in a minute' };
}

export function ChoirSeatPicker({ concertId, seats }: { concertId: string; seats: Seat[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string>('');
  const [busy, setBusy] = useState(false);

  const rows = seats.reduce<Record<string, Seat[]>>((acc, s) => {
    (acc[s.row] ??= []).push(s);
    return acc;
  }, {});

  async function hold(seatCode: string) {
    setBusy(true);
    setSelected(seatCode);
    const result = await requestHold(concertId, seatCode);
    setMessage(result.ok ? `Seat ${seatCode} held for 10 minutes` : result.reason);
    setBusy(false);
  }

  return (
    <div className="grid gap-2">
      {Object.entries(rows).map(([row, rowSeats]) => (
        <div key={row} className="flex items-center gap-1">
          <span className="w-6 text-sm font-semibold">{row}</span>
          {rowSeats.map((s) => (
            <button
              key={s.code}
              disabled={s.taken || busy}
              onClick={() => hold(s.code)}
              title={s.restrictedView ? 'Restricted view' : s.code}
              className={`h-7 w-7 rounded text-xs ${s.taken ? 'bg-gray-300' : selected === s.code ? 'bg-emerald-600 text-white' : 'bg-emerald-100'}`}
            >
              {s.code.replace(row, '')}
            </button>
          ))}
        </div>
      ))}
      <p aria-live="polite" className="text-sm">{message}</p>
    </div>
  );
}

/** Full HTML document for the iframe embed; hydrated by /embed/seat-picker.js. */
export function renderEmbedPage(concertTitle: string, concertId: string, seats: Seat[]): string {
  return '<!doctype html>' + renderToStaticMarkup(
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{concertTitle} — choose your seat</title>
        <script src="https://cdn.tailwindcss.com"></script>
        <script defer src="/embed/seat-picker.js"></script>
      </head>
      <body className="bg-white p-3 font-sans">
        <h1 className="mb-2 text-lg">{concertTitle}</h1>
        <div id="seat-picker" data-concert={concertId}>
          <ChoirSeatPicker concertId={concertId} seats={seats} />
        </div>
      </body>
    </html>,
  );
}
