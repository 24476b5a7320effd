// app/layout.tsx — root layout for the home blood-pressure monitoring portal
import type { Metadata, Viewport } from 'next';
import Script from 'next/script';
import { Inter } from 'next/font/google';
import { SessionProvider } from '@/components/session-provider';
import { SiteHeader } from '@/components/site-header';
import { getServerSession } from '@/lib/auth';

const inter = Inter({ subsets: ['latin'], display: 'swap' });

export const metadata: Metadata = {
  title: {
    default: 'PressureLog — home blood-pressure monitoring',
    template: '%s · PressureLog',
  },
  description:
    'Record your home blood-pressure readings, share them with your GP practice and see your 7-day averages.',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  themeColor: '#0f766e',
  width: 'device-width',
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerSession();

  return (
    <html lang="en-GB" className={inter.className}>
      <head>
        <Script src="https://cdn.tailwindcss.com?plugins=forms" strategy="beforeInteractive" />
        <Script id="tw-config" strategy="beforeInteractive">
          {`tailwind.config = {
              theme: { extend: { colors: { brand: { 600: '#0f766e', 700: '#115e59' } } } }
            }`}
        </Script>
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <SessionProvider session={session}>
          <SiteHeader user={session?.user ?? null} />
          <main id="content" className="mx-auto max-w-4xl px-4 py-8">
            {children}
          </main>
          <footer className="border-t border-slate-200 py-6 text-center text-sm text-slate-500">
            Readings above 180/120 mmHg: call 111 or your practice straight away.
          </footer>
        </SessionProvider>
      </body>
    </html>
  );
}
