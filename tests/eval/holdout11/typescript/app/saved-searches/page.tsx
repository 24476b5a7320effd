// app/saved-searches/page.tsx
// Server component: the signed-in buyer's saved searches + the newest matches for each.
import { revalidateTag, unstable_cache } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
import { SavedSearchCard } from "./SavedSearchCard";

// Saved searches are private to each buyer, so the cache entry is per user.
const getSavedSearches = (userId: string) =>
  unstable_cache(
    () =>
      prisma.savedSearch.findMany({
        where: { userId },
        orderBy: { createdAt: "desc" },
        take: 25,
        include: {
          matches: {
            orderBy: { listedAt: "desc" },
            take: 3,
            include: { listing: { select: { id: true, address: true, priceCents: true, coverPhotoUrl: true } } },
          },
        },
      }),
    ["saved-searches", userId],
    { tags: [`saved-searches:${userId}`], revalidate: 300 },
  )();

const RenameInput = z.object({ id: z.string().cuid(), name: z.string().trim().min(1).max(80) });

async function renameSearch(formData: FormData) {
  "use server";
  const session = await auth();
  if (!session?.user) redirect("/login");
  const { id, name } = RenameInput.parse(Object.fromEntries(formData));

  // scoped to the owner: another user's id simply matches nothing
  await prisma.savedSearch.updateMany({ where: { id, userId: session.user.id }, data: { name } });
  revalidateTag(`saved-searches:${session.user.id}`);
}

export default async function SavedSearchesPage() {
  const session = await auth();
  if (!session?.user) redirect("/login?next=/saved-searches");

  const searches = await getSavedSearches(session.user.id);

  return (
    <main className="mx-auto max-w-3xl space-y-4 p-6">
      <h1 className="text-2xl font-semibold">Saved searches</h1>
      {searches.length === 0 ? (
        <p className="text-gray-500">No saved searches yet. Save one from the map view.</p>
      ) : (
        searches.map((s) => <SavedSearchCard key={s.id} search={s} renameAction={renameSearch} />)
      )}
    </main>
  );
}
