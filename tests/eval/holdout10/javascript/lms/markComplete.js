// is this safe if a student double-clicks "Mark lesson complete"?
// schema: LessonCompletion @@unique([userId, lessonId])
export async function markLessonComplete(userId, courseId, lessonId) {
  const { count } = await prisma.lessonCompletion.createMany({
    data: [{ userId, lessonId }],
    skipDuplicates: true,
  });
  if (count === 1) {
    await prisma.enrollment.update({
      where: { userId_courseId: { userId, courseId } },
      data: { completedLessons: { increment: 1 }, lastActivityAt: new Date() },
    });
  }
  return { newlyCompleted: count === 1 };
}
