// app/timetable/[classId]/page.tsx
// Weekly timetable for a class. Data comes from our DB; room changes come from
// the district's facilities API.
import { notFound } from 'next/navigation';
import { prisma } from '@/lib/prisma';
import { getSchoolId } from '@/lib/session';
import styles from './timetable.module.css';

export const revalidate = 600;

// fixed bell schedule, same for every school in the district
const PERIODS: Record<number, string> = {
  1: '08:30–09:20',
  2: '09:25–10:15',
  3: '10:35–11:25',
  4: '11:30–12:20',
  5: '13:10–14:00',
  6: '14:05–14:55',
};
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;

type RoomChange = { lessonId: string; room: string };

async function getRoomChanges(schoolId: string, classId: string): Promise<RoomChange[]> {
  try {
    const res = await fetch(
      `${process.env.FACILITIES_API}/schools/${schoolId}/classes/${classId}/room-changes`,
      { signal: AbortSignal.timeout(3000), next: { revalidate: 600 } },
    );
    if (!res.ok) throw new Error(`facilities api ${res.status}`);
    return (await res.json()) as RoomChange[];
  } catch (err) {
    console.error('room changes unavailable, showing base rooms', err);
    return [];
  }
}

export default async function TimetablePage({ params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  const schoolId = await getSchoolId();

  const klass = await prisma.schoolClass.findFirst({
    where: { id: classId, schoolId },
    include: {
      lessons: {
        include: { subject: true, teacher: { select: { displayName: true } }, room: true },
        orderBy: [{ day: 'asc' }, { period: 'asc' }],
      },
    },
  });
  if (!klass) notFound();

  const changes = new Map((await getRoomChanges(schoolId, classId)).map((c) => [c.lessonId, c.room]));
  const cell = (day: number, period: number) =>
    klass.lessons.find((l) => l.day === day && l.period === period);

  return (
    <main className={styles.page}>
      <h1>
        {klass.name} — {klass.academicYear}
      </h1>
      <table className={styles.grid}>
        <thead>
          <tr>
            <th />
            {DAYS.map((d) => (
              <th key={d}>{d}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(PERIODS).map(([p, time]) => (
            <tr key={p}>
              <th className={styles.period}>
                {p}
                <small>{time}</small>
              </th>
              {DAYS.map((_, dayIdx) => {
                const lesson = cell(dayIdx + 1, Number(p));
                if (!lesson) return <td key={dayIdx} className={styles.free} />;
                const room = changes.get(lesson.id) ?? lesson.room.code;
                return (
                  <td key={dayIdx} className={styles.lesson} style={{ borderColor: lesson.subject.color }}>
                    <strong>{lesson.subject.shortName}</strong>
                    <span>{lesson.teacher.displayName}</span>
                    <span className={changes.has(lesson.id) ? styles.changed : undefined}>{room}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
