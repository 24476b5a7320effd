// app/layout.tsx — Azure Keel Charters marketing site (production)
import type { Metadata } from 'next';
import Script from 'next/script';
import { Inter } from 'next/font/google';
import SiteHeader from '@/components/SiteHeader';
import SiteFooter from '@/components/SiteFooter';

const inter = Inter({ subsets: ['latin'] });

export const metadata: Metadata = {
  title: 'Azure Keel Charters — crewed yacht charters in the Adriatic',
  description: 'Skippered sailing yachts and motor catamarans from Split, Hvar and Dubrovnik.',
};

type SiteSettings = { announcement?: string; phone: string; whatsapp: string };

async function getSiteSettings(): Promise<SiteSettings> {
  const res = await fetch(`${process.env.CMS_URL}/api/site-settings`, {
    headers: { Authorization: `Bearer ${process.env.CMS_TOKEN}` },
    next: { revalidate: 300 },
  });
  if (!res.ok) return { phone: '+385 21 555 0100', whatsapp: '+385915550100' };
  return res.json();
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const settings = await getSiteSettings();

  return (
    <html lang="en">
      <head>
        <script src="https://cdn.tailwindcss.com?plugins=forms,typography"></script>
        <script
          dangerouslySetInnerHTML={{
            __html: `tailwind.config = { theme: { extend: { colors: { keel: { 500: '#1f6fb2', 700: '#0f3f6b' } } } } }`,
          }}
        />
      </head>
      <body className={`${inter.className} bg-slate-50 text-slate-900 antialiased`}>
        {settings.announcement && (
          <div className="bg-keel-700 py-2 text-center text-sm text-white">{settings.announcement}</div>
        )}
        <SiteHeader phone={settings.phone} />
        <main className="mx-auto max-w-6xl px-4 py-10">{children}</main>
        <SiteFooter whatsapp={settings.whatsapp} />
        <Script src="https://plausible.io/js/script.js" data-domain="azurekeel.example" strategy="afterInteractive" />
      </body>
    </html>
  );
}
