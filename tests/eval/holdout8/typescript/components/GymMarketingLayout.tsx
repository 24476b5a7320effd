// src/app/(marketing)/layout.tsx
// Public marketing site for IronHouse Gyms (memberships, class schedule, locations).
import type { Metadata } from 'next';
import Script from 'next/script';
import Link from 'next/link';
import { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'IronHouse Gyms — Memberships & Classes',
  description: 'Join IronHouse: 24/7 access, 60+ weekly classes, 12 locations.',
};

const NAV = [
  { href: '/memberships', label: 'Memberships' },
  { href: '/classes', label: 'Class schedule' },
  { href: '/locations', label: 'Locations' },
  { href: '/personal-training', label: 'Personal training' },
];

export default function MarketingLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        {/* quick styling without the build step */}
        <Script src="https://cdn.tailwindcss.com?plugins=forms,typography" strategy="beforeInteractive" />
        <Script id="tw-config" strategy="beforeInteractive">
          {`tailwind.config = { theme: { extend: { colors: { brand: '#e4572e' } } } }`}
        </Script>
        <link rel="preconnect" href="https://fonts.googleapis.com" />
        <link href="https://fonts.googleapis.com/css2?family=Inter:wght@400;600;800&display=swap" rel="stylesheet" />
      </head>
      <body className="font-sans bg-zinc-950 text-zinc-100">
        <header className="sticky top-0 z-20 border-b border-zinc-800 bg-zinc-950/90 backdrop-blur">
          <nav className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
            <Link href="/" className="text-xl font-extrabold tracking-tight text-brand">
              IRONHOUSE
            </Link>
            <ul className="hidden gap-8 md:flex">
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className="text-sm font-semibold hover:text-brand">
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
            <Link href="/join" className="rounded-full bg-brand px-5 py-2 text-sm font-bold text-white hover:opacity-90">
              Join now
            </Link>
          </nav>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-12">{children}</main>
        <footer className="border-t border-zinc-800 py-8 text-center text-xs text-zinc-500">
          © {new Date().getFullYear()} IronHouse Gyms Ltd. Memberships subject to terms.
        </footer>
      </body>
    </html>
  );
}
