// app/layout.tsx - Harbor Museum timed-entry ticketing
import type { Metadata } from 'next';
import Link from 'next/link';
import Script from 'next/script';
import { Inter, Playfair_Display } from 'next/font/google';
// Tailwind is compiled by PostCSS at build time (we dropped the cdn.tailwindcss.com play script)
import './globals.css';

const inter = Inter({ subsets: ['latin'], variable: '--font-inter' });
const playfair = Playfair_Display({ subsets: ['latin'], variable: '--font-display' });

export const metadata: Metadata = {
  title: { default: 'Tickets | Harbor Museum', template: '%s | Harbor Museum' },
  description: 'Book timed-entry tickets, exhibitions and member visits.',
};

type Notice = { id: string; message: string };

async function getNotice(): Promise<Notice | null> {
  try {
    const res = await fetch(`${process.env.CMS_URL}/api/site-notice`, {
      next: { revalidate: 60 },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return null;
    return (await res.json()) as Notice | null;
  } catch (err) {
    console.error('site notice unavailable', err);
    return null;
  }
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const notice = await getNotice();

  return (
    <html lang="en" className={`${inter.variable} ${playfair.variable}`}>
      <head>
        <link rel="preconnect" href="https://js.stripe.com" />
      </head>
      <body className="bg-stone-50 font-sans text-stone-900 antialiased">
        {notice && (
          <div role="status" className="bg-amber-100 px-4 py-2 text-center text-sm">
            {notice.message}
          </div>
        )}
        <header className="border-b border-stone-200">
          <nav className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
            <Link href="/" className="font-display text-2xl">Harbor Museum</Link>
            <div className="flex gap-6 text-sm">
              <Link href="/exhibitions">Exhibitions</Link>
              <Link href="/visit">Plan your visit</Link>
              <Link href="/membership">Membership</Link>
              <Link href="/cart" className="rounded bg-stone-900 px-3 py-1 text-white">Cart</Link>
            </div>
          </nav>
        </header>

        <main className="mx-auto max-w-6xl px-6 py-10">{children}</main>

        <footer className="border-t border-stone-200 py-8 text-center text-xs text-stone-500">
          © Harbor Museum · 14 Quay Street · Open Tue–Sun 10:00–17:00
        </footer>

        <Script src="https://js.stripe.com/v3/" strategy="afterInteractive" />
        <Script
          src="https://cdn.jsdelivr.net/npm/@lottiefiles/lottie-player@2.0.4/dist/lottie-player.min.js"
          strategy="lazyOnload"
        />
        <Script
          src="https://plausible.io/js/script.js"
          data-domain="tickets.harbormuseum.org"
          strategy="afterInteractive"
        />
      </body>
    </html>
  );
}
