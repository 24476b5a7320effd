// app/layout.tsx — root layout for the model railway club members' site
// (layout running slots, open days, rolling stock register).
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: "Wetherby & District Model Railway Club",
  description: "Book running slots on the club layouts and see what's on.",
};

type ClubSettings = {
  clubName: string;
  nextOpenDay: string | null;
  layouts: { slug: string; name: string; gauge: string }[];
  notice?: string;
};

async function getClubSettings(): Promise<ClubSettings> {
  const res = await fetch(`${process.env.CLUB_API_URL}/settings`, {
    headers: { "x-api-key": process.env.CLUB_API_KEY ?? "" },
    next: { revalidate: 300 },
  });
  if (!res.ok) throw new Error(`settings request failed: ${res.status}`);
  return res.json();
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const settings = await getClubSettings();

  return (
    <html lang="en-GB">
      <head>
        <script src="https://cdn.tailwindcss.com"></script>
        <link rel="icon" href="/favicon.ico" />
      </head>
      <body className="min-h-screen bg-stone-50 text-stone-900">
        <header className="border-b border-stone-200 bg-emerald-900 text-white">
          <nav className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
            <Link href="/" className="text-lg font-semibold">
              {settings.clubName}
            </Link>
            <div className="flex gap-4 text-sm">
              {settings.layouts.map((layout) => (
                <Link key={layout.slug} href={`/layouts/${layout.slug}/slots`} className="hover:underline">
                  {layout.name} <span className="opacity-70">({layout.gauge})</span>
                </Link>
              ))}
              <Link href="/stock" className="hover:underline">
                Rolling stock
              </Link>
              <Link href="/account" className="hover:underline">
                My slots
              </Link>
            </div>
          </nav>
        </header>

        {settings.notice && (
          <div className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">{settings.notice}</div>
        )}

        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>

        <footer className="mx-auto max-w-5xl px-4 py-6 text-xs text-stone-500">
          {settings.nextOpenDay
            ? `Next open day: ${new Date(settings.nextOpenDay).toLocaleDateString("en-GB", { dateStyle: "long" })}`
            : "Open days are announced in the newsletter."}
        </footer>
      </body>
    </html>
  );
}
