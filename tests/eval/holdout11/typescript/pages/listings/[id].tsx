import Head from "next/head";
import Script from "next/script";
import type { GetServerSideProps } from "next";
import { ListingGallery } from "@/components/ListingGallery";
import { formatPrice } from "@/lib/format";

type Listing = {
  id: string;
  address: string;
  city: string;
  priceCents: number;
  beds: number;
  baths: number;
  sqft: number;
  description: string;
  photos: { url: string; alt: string }[];
};

type Props = { listing: Listing };

export const getServerSideProps: GetServerSideProps<Props> = async ({ params }) => {
  const id = String(params?.id ?? "");
  const res = await fetch(`${process.env.LISTINGS_API_URL}/listings/${encodeURIComponent(id)}`, {
    headers: { accept: "application/json" },
  });
  if (res.status === 404) return { notFound: true };
  if (!res.ok) throw new Error(`listings api ${res.status}`);
  const listing: Listing = await res.json();
  return { props: { listing } };
};

export default function ListingPage({ listing }: Props) {
  return (
    <>
      <Head>
        <title>{`${listing.address}, ${listing.city} | Keystone Realty`}</title>
        <meta name="description" content={listing.description.slice(0, 150)} />
      </Head>
      <Script src="https://cdn.tailwindcss.com" strategy="beforeInteractive" />

      <main className="mx-auto max-w-5xl px-4 py-8">
        <ListingGallery photos={listing.photos} />
        <section className="mt-6 flex items-baseline justify-between">
          <h1 className="text-2xl font-semibold">{listing.address}</h1>
          <p className="text-xl text-emerald-700">{formatPrice(listing.priceCents)}</p>
        </section>
        <ul className="mt-2 flex gap-4 text-sm text-gray-600">
          <li>{listing.beds} bd</li>
          <li>{listing.baths} ba</li>
          <li>{listing.sqft.toLocaleString()} sqft</li>
        </ul>
        <p className="mt-6 whitespace-pre-line leading-relaxed">{listing.description}</p>
      </main>
    </>
  );
}
