// app/api/courses/[courseId]/leaderboard/route.ts
import { NextResponse } from 'next/server';
import { unstable_cache } from 'next/cache';
import { auth } from '@/auth';
import { prisma } from '@/lib/prisma';

export const dynamic = 'force-dynamic';

type BoardRow = {
  userId: string;
  displayName: string;
  points: bigint;
  lessonsCompleted: bigint;
};

/** Top 50 learners in a course by quiz points. */
async function computeLeaderboard(courseId: string) {
  return prisma.$queryRaw<BoardRow[]>`
    SELECT u.id AS "userId",
           u.display_name AS "displayName",
           SUM(s.score) AS points,
           COUNT(DISTINCT s.lesson_id) AS "lessonsCompleted"
      FROM quiz_submissions s
      JOIN users u ON u.id = s.user_id
     WHERE s.course_id = ${courseId}
       AND s.is_best_attempt
     GROUP BY u.id, u.display_name
     ORDER BY points DESC
     LIMIT 50`;
}

export async function GET(
  _req: Request,
  { params }: { params: Promise<{ courseId: string }> },
) {
  const session = await auth();
  if (!session?.user?.id) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }
  const { courseId } = await params;

  const enrolled = await prisma.enrollment.findUnique({
    where: { userId_courseId: { userId: session.user.id, courseId } },
    select: { id: true },
  });
  if (!enrolled) {
    return NextResponse.json({ error: 'Not enrolled' }, { status: 403 });
  }

  // cache the board for 5 minutes
  const getBoard = unstable_cache(
    () => computeLeaderboard(courseId),
    ['course-leaderboard', courseId, session.user.id],
    { revalidate: 300, tags: [`course:${courseId}`] },
  );
  const board = await getBoard();

  // where does the current learner sit, even if outside the top 50?
  const mine = await prisma.$queryRaw<{ rank: bigint; points: bigint }[]>`
    SELECT rank, points FROM (
      SELECT s.user_id,
             SUM(s.score) AS points,
             RANK() OVER (ORDER BY SUM(s.score) DESC) AS rank
        FROM quiz_submissions s
       WHERE s.course_id = ${courseId} AND s.is_best_attempt
       GROUP BY s.user_id
    ) ranked
    WHERE ranked.user_id = ${session.user.id}`;

  return NextResponse.json({
    top: board.map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      points: Number(r.points),
      lessonsCompleted: Number(r.lessonsCompleted),
    })),
    me: mine[0] ? { rank: Number(mine[0].rank), points: Number(mine[0].points) } : null,
  });
}
