// app/api/listings/route.ts
//
// Here's a production-ready version of the listings search endpoint with Redis
// caching. It returns the featured listings for a city plus market stats
// (median nightly price, occupancy) so the search page renders in one round trip.

import { NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import Redis from "ioredis";
import { prisma } from "@/lib/prisma";
import { auth } from "@/lib/auth";

// Reuse a single Redis connection across invocations
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2 });

const FEATURED_TTL_SECONDS = 300;
const STATS_TTL_SECONDS = 600;

const querySchema = z.object({
  city: z.string().min(2).max(64),
  page: z.coerce.number().int().min(1).default(1),
});

type MarketStats = {
  medianNightlyCents: number;
  occupancyRate: number;
  activeListings: number;
};

/**
 * Compute market stats for a city from the last 90 days of bookings.
 * This scans bookings joined to listings, so we cache the result.
 */
async function computeMarketStats(city: string): Promise<MarketStats> {
  const [row] = await prisma.$queryRaw<MarketStats[]>`
    SELECT
      percentile_cont(0.5) WITHIN GROUP (ORDER BY b.nightly_price_cents)::int AS "medianNightlyCents",
      SUM(b.nights)::float / NULLIF(COUNT(DISTINCT l.id) * 90, 0)              AS "occupancyRate",
      COUNT(DISTINCT l.id)::int                                                AS "activeListings"
    FROM listings l
    JOIN bookings b ON b.listing_id = l.id
    WHERE l.city = ${city}
      AND b.check_in >= now() - interval '90 days'
      AND b.status IN ('confirmed', 'completed')`;
  return row;
}

async function getMarketStats(city: string): Promise<MarketStats> {
  const cacheKey = `market-stats:${city.toLowerCase()}`;
  const cached = await redis.get(cacheKey);
  if (cached) return JSON.parse(cached) as MarketStats;

  const stats = await computeMarketStats(city);
  await redis.set(cacheKey, JSON.stringify(stats), "EX", STATS_TTL_SECONDS);
  return stats;
}

export async function GET(req: NextRequest) {
  const parsed = querySchema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { city, page } = parsed.data;
  const session = await auth();
  const viewerId = session?.user?.id ?? "anon";

  // Featured listings are curated by the ops team per city
  const featuredKey = `featured:${viewerId}:${city.toLowerCase()}:${page}`;
  let featured = await redis.get(featuredKey).then((v) => (v ? JSON.parse(v) : null));
  if (!featured) {
    featured = await prisma.listing.findMany({
      where: { city, featured: true, status: "PUBLISHED" },
      select: { id: true, title: true, nightlyPriceCents: true, coverImageUrl: true, rating: true },
      orderBy: { featuredRank: "asc" },
      skip: (page - 1) * 20,
      take: 20,
    });
    await redis.set(featuredKey, JSON.stringify(featured), "EX", FEATURED_TTL_SECONDS);
  }

  const stats = await getMarketStats(city);

  return NextResponse.json({ city, page, featured, stats });
}
