// ---- app/api/lessons/[lessonId]/complete/route.ts ----
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { auth } from '@/lib/auth';
import { xpForLesson, isSameDay, isYesterday } from '@/lib/xp';

const Body = z.object({
  score: z.number().min(0).max(1),
  mistakes: z.number().int().min(0),
  completedAt: z.string().datetime(),
});

// Called by the app when a lesson finishes. After being offline the app replays
// its queue of finished lessons (in parallel) as soon as it reconnects.
export async function POST(req: NextRequest, { params }: { params: { lessonId: string } }) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'unauthorized' }, { status: 401 });

  const parsed = Body.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  const { score, mistakes, completedAt } = parsed.data;

  const lesson = await prisma.lesson.findUnique({
    where: { id: params.lessonId },
    select: { id: true, difficulty: true, unitId: true },
  });
  if (!lesson) return NextResponse.json({ error: 'lesson not found' }, { status: 404 });

  const learner = await prisma.learner.findUniqueOrThrow({
    where: { userId: session.user.id },
    select: { id: true, xp: true, gems: true, streakDays: true, lastActiveAt: true },
  });

  const gained = xpForLesson(lesson.difficulty, score, mistakes);
  const when = new Date(completedAt);
  const streakDays = isSameDay(learner.lastActiveAt, when)
    ? learner.streakDays
    : isYesterday(learner.lastActiveAt, when)
      ? learner.streakDays + 1
      : 1;

  const updated = await prisma.learner.update({
    where: { id: learner.id },
    data: {
      xp: learner.xp + gained,
      gems: learner.gems + (score === 1 ? 5 : 1),
      streakDays,
      lastActiveAt: when,
    },
    select: { xp: true, gems: true, streakDays: true },
  });

  await prisma.xpEvent.create({
    data: { learnerId: learner.id, lessonId: lesson.id, amount: gained, createdAt: when },
  });

  return NextResponse.json({ gained, ...updated });
}

// ---- app/api/courses/[courseId]/leaderboard/route.ts ----
// "This week in Spanish" board, shown on the home screen every time the app is opened.
// (Spanish-for-English-speakers alone has ~1.2M learners.)
export const dynamic = 'force-dynamic';

type Row = { learnerId: string; displayName: string; avatarUrl: string | null; weeklyXp: bigint };

export async function GET(_req: NextRequest, { params }: { params: { courseId: string } }) {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT l.id AS "learnerId", l.display_name AS "displayName", l.avatar_url AS "avatarUrl",
           COALESCE(SUM(e.amount), 0) AS "weeklyXp"
      FROM learners l
      LEFT JOIN xp_events e
        ON e.learner_id = l.id
       AND e.created_at >= date_trunc('week', now())
     WHERE l.course_id = ${params.courseId}
     GROUP BY l.id
     ORDER BY "weeklyXp" DESC
     LIMIT 100`;

  return NextResponse.json(rows.map((r) => ({ ...r, weeklyXp: Number(r.weeklyXp) })));
}
