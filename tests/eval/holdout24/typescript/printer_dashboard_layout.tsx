// app/(dashboard)/layout.tsx
// Makerspace printer-queue dashboard shell: the wall screen in the workshop and the
// members' phone view both render through this layout.
import type { Metadata } from 'next';
import Link from 'next/link';
import { ReactNode } from 'react';
import { getCurrentMember } from '@/lib/session';

export const metadata: Metadata = {
  title: 'Printer queue · Northgate Makerspace',
  description: 'Live 3D-printer queue, filament stock and print history.',
};

const NAV = [
  { href: '/queue', label: 'Queue' },
  { href: '/printers', label: 'Printers' },
  { href: '/filament', label: 'Filament' },
  { href: '/history', label: 'My prints' },
];

const tailwindTheme = `
  tailwind.config = {
    theme: {
      extend: {
        colors: { forge: { 500: '#e4572e', 700: '#a33a1d' }, slate: { 950: '#0b1120' } },
        fontFamily: { mono: ['JetBrains Mono', 'monospace'] },
      },
    },
  };
`;

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const member = await getCurrentMember();

  return (
    <html lang="en" className="h-full bg-slate-950">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script src="https://cdn.tailwindcss.com?plugins=forms"></script>
        <script dangerouslySetInnerHTML={{ __html: tailwindTheme }} />
      </head>
      <body className="h-full text-slate-100 font-mono">
        <header className="flex items-center justify-between border-b border-slate-800 px-6 py-3">
          <Link href="/queue" className="text-lg font-bold text-forge-500">
            Northgate · Printers
          </Link>
          <nav className="flex gap-4 text-sm">
            {NAV.map((item) => (
              <Link key={item.href} href={item.href} className="hover:text-forge-500">
                {item.label}
              </Link>
            ))}
          </nav>
          <span className="text-xs text-slate-400">
            {member ? `Signed in as ${member.displayName}` : <Link href="/login">Sign in</Link>}
          </span>
        </header>
        <main className="mx-auto max-w-5xl p-6">{children}</main>
        <footer className="px-6 py-4 text-xs text-slate-500">
          Printer out of filament? Tell a steward on the workshop channel.
        </footer>
      </body>
    </html>
  );
}
