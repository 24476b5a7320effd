// app/layout.tsx — sign-language interpreter request portal (Next.js app router)
// Deaf clients, hospitals and courts request BSL/ISL interpreters here.
// The announcement banner (e.g. "Reduced cover over the bank holiday") comes
// from the coordinators' CMS so they can change it without a deploy.

import type { Metadata } from "next";
import Link from "next/link";
import { Inter } from "next/font/google";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";

const inter = Inter({ subsets: ["latin"] });

export const metadata: Metadata = {
  title: "Interpreter Requests",
  description: "Request a BSL or ISL interpreter for appointments, hearings and events.",
};

type Banner = { message: string; tone: "info" | "warning"; until: string | null };

async function getBanner(): Promise<Banner | null> {
  const res = await fetch(`${process.env.CMS_URL}/api/banners/active?site=interpreters`, {
    headers: { Authorization: `Bearer ${process.env.CMS_TOKEN}` },
    next: { revalidate: 120 },
  });
  if (!res.ok) return null;
  const body = (await res.json()) as { banner: Banner | null };
  return body.banner;
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [session, banner] = await Promise.all([getServerSession(authOptions), getBanner()]);

  return (
    <html lang="en-GB">
      <head>
        <script src="https://cdn.tailwindcss.com"></script>
        <meta name="theme-color" content="#0f4c81" />
      </head>
      <body className={`${inter.className} min-h-screen bg-slate-50 text-slate-900`}>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        {banner && (
          <div
            role="status"
            className={
              banner.tone === "warning"
                ? "bg-amber-100 px-4 py-2 text-amber-900"
                : "bg-sky-100 px-4 py-2 text-sky-900"
            }
          >
            {banner.message}
          </div>
        )}
        <header className="flex items-center justify-between border-b bg-white px-6 py-3">
          <Link href="/" className="text-lg font-semibold">
            Interpreter Requests
          </Link>
          <nav className="flex gap-4 text-sm">
            <Link href="/requests/new">New request</Link>
            <Link href="/requests">My requests</Link>
            {session?.user?.role === "coordinator" && <Link href="/coordinate">Coordinate</Link>}
            {session ? (
              <Link href="/api/auth/signout">Sign out</Link>
            ) : (
              <Link href="/api/auth/signin">Sign in</Link>
            )}
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-4xl p-6">
          {children}
        </main>
        <footer className="px-6 py-4 text-xs text-slate-500">
          Urgent out-of-hours requests: text 07700 900123.
        </footer>
      </body>
    </html>
  );
}
