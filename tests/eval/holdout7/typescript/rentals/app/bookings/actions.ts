"use server";

import { revalidateTag, unstable_cache } from "next/cache";
import { Prisma } from "@prisma/client";
import { eachDayOfInterval, subDays } from "date-fns";
import { prisma } from "@/lib/prisma";
import { auth } from "@/lib/auth";

export type BookResult = { ok: true; bookingId: string } | { ok: false; reason: string };

/**
 * Book a listing for [checkIn, checkOut).
 *
 * Double bookings are prevented by the database, not by a pre-check: every
 * reserved night is a row in `booked_nights` with a UNIQUE (listing_id, night)
 * constraint, so two guests racing for the same dates cannot both commit.
 */
export async function bookListing(listingId: string, checkIn: Date, checkOut: Date): Promise<BookResult> {
  const session = await auth();
  if (!session?.user) return { ok: false, reason: "Please sign in to book." };
  const guestId = session.user.id;

  const nights = eachDayOfInterval({ start: checkIn, end: subDays(checkOut, 1) });

  try {
    const booking = await prisma.$transaction(async (tx) => {
      const listing = await tx.listing.findUniqueOrThrow({
        where: { id: listingId },
        select: { nightlyPriceCents: true, status: true },
      });
      if (listing.status !== "PUBLISHED") throw new Error("LISTING_UNAVAILABLE");

      const created = await tx.booking.create({
        data: {
          listingId,
          guestId,
          checkIn,
          checkOut,
          totalCents: listing.nightlyPriceCents * nights.length,
          status: "CONFIRMED",
        },
      });
      await tx.bookedNight.createMany({
        data: nights.map((night) => ({ listingId, night, bookingId: created.id })),
      });
      return created;
    });

    revalidateTag(`guest-bookings:${guestId}`);
    return { ok: true, bookingId: booking.id };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return { ok: false, reason: "Those dates were just booked by someone else." };
    }
    if (err instanceof Error && err.message === "LISTING_UNAVAILABLE") {
      return { ok: false, reason: "This listing is no longer available." };
    }
    console.error("bookListing failed", { listingId, guestId, err });
    throw err;
  }
}

/** The signed-in guest's own upcoming trips, cached per guest and invalidated on booking. */
export async function getMyTrips() {
  const session = await auth();
  if (!session?.user) return [];
  const guestId = session.user.id;

  return unstable_cache(
    () =>
      prisma.booking.findMany({
        where: { guestId, checkOut: { gte: new Date() } },
        orderBy: { checkIn: "asc" },
        take: 50,
        include: { listing: { select: { title: true, city: true, coverImageUrl: true } } },
      }),
    ["guest-trips", guestId],
    { tags: [`guest-bookings:${guestId}`], revalidate: 300 }
  )();
}
