// app/markets/[marketId]/map/page.tsx — stall map for a farmers market (server component)
import Script from 'next/script';
import { notFound } from 'next/navigation';
import { prisma } from '@/lib/prisma';
import styles from './stall-map.module.css'; // CSS modules, compiled by the Next build

export const revalidate = 300; // ISR: page regenerated at most every 5 minutes

type Props = { params: { marketId: string } };

export default async function StallMapPage({ params }: Props) {
  const market = await prisma.market.findUnique({
    where: { id: params.marketId },
    select: {
      name: true,
      centerLat: true,
      centerLng: true,
      stalls: {
        where: { active: true },
        orderBy: { number: 'asc' },
        take: 400,
        select: {
          number: true,
          lat: true,
          lng: true,
          vendor: { select: { name: true, category: true } },
        },
      },
    },
  });
  if (!market) notFound();

  const markers = market.stalls.map((s) => ({
    n: s.number,
    lat: s.lat,
    lng: s.lng,
    label: `${s.number} · ${s.vendor.name}`,
    cat: s.vendor.category,
  }));

  return (
    <>
      <link rel="stylesheet" href="https://unpkg.com/leaflet@1.9.4/dist/leaflet.css" crossOrigin="" />
      <h1 className={styles.title}>{market.name} — stall map</h1>
      <div id="stall-map" className={styles.map} />
      <Script
        src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
        strategy="afterInteractive"
        crossOrigin=""
      />
      <Script id="stall-map-init" strategy="afterInteractive">
        {`
          const map = L.map('stall-map').setView([${market.centerLat}, ${market.centerLng}], 19);
          L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', { maxZoom: 21 }).addTo(map);
          ${JSON.stringify(markers)}.forEach(m => L.marker([m.lat, m.lng]).addTo(map).bindPopup(m.label));
        `}
      </Script>
      <ul className={styles.legend}>
        {market.stalls.map((s) => (
          <li key={s.number}>
            <strong>{s.number}</strong> {s.vendor.name} <span className={styles.cat}>{s.vendor.category}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
