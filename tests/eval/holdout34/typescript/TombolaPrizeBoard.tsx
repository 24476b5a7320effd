"use client";

// app/fete/[feteId]/tombola/TombolaPrizeBoard.tsx
// Big-screen board on the tombola stall at the village fete: shows which
// prizes are still on the table and refreshes as volunteers mark them claimed.

import { useEffect, useState } from "react";
import Script from "next/script";

type Prize = {
  id: number;
  description: string;
  donatedBy: string | null;
  claimed: boolean;
};

const REFRESH_MS = 15_000;

function PrizeCard({ prize }: { prize: Prize }) {
  return (
    <li
      className={`rounded-xl border-4 p-4 text-2xl font-semibold ${
        prize.claimed ? "border-gray-300 bg-gray-100 text-gray-400 line-through" : "border-amber-500 bg-amber-50"
      }`}
    >
      {prize.description}
      {prize.donatedBy && <span className="block text-base font-normal">kindly donated by {prize.donatedBy}</span>}
    </li>
  );
}

export default function TombolaPrizeBoard({ feteId }: { feteId: string }) {
  const [prizes, setPrizes] = useState<Prize[]>([]);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useEffect(() => {
    let cancelled = false;

    async function refresh() {
      try {
        const res = await fetch(`/api/fetes/${feteId}/prizes?limit=100`, {
          signal: AbortSignal.timeout(5000),
          cache: "no-store",
        });
        const body = await res.json();
        if (!cancelled) {
          setPrizes(body.prizes);
          setUpdatedAt(new Date());
        }
      } catch {
        // keep showing whatever we had on screen
      }
    }

    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [feteId]);

  const remaining = prizes.filter((p) => !p.claimed).length;

  return (
    <>
      <Script src="https://cdn.tailwindcss.com" strategy="beforeInteractive" />
      <main className="min-h-screen bg-lime-100 p-8">
        <header className="mb-6 flex items-baseline justify-between">
          <h1 className="text-5xl font-bold text-green-900">Tombola prizes</h1>
          <p className="text-xl text-green-800">
            {remaining} of {prizes.length} still to be won - tickets ending in 0 or 5 win!
          </p>
        </header>
        <ul className="grid grid-cols-3 gap-4">
          {prizes.map((p) => (
            <PrizeCard key={p.id} prize={p} />
          ))}
        </ul>
        {updatedAt && (
          <p className="mt-6 text-sm text-green-700">Updated {updatedAt.toLocaleTimeString("en-GB")}</p>
        )}
      </main>
    </>
  );
}
