# courses/views.py
import csv
import json

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Course, Enrollment, Lesson, LessonCompletion, Submission
from .permissions import instructor_required

# quiz_attempts is ~40M rows, lesson_completions ~90M (see infra/db-sizing.md)
LEADERBOARD_SQL = """
    SELECT u.id, u.username, SUM(qa.score) AS points, COUNT(DISTINCT qa.quiz_id) AS quizzes
    FROM quiz_attempts qa
    JOIN auth_user u ON u.id = qa.user_id
    JOIN quizzes q ON q.id = qa.quiz_id
    WHERE q.course_id = %s AND qa.is_final
    GROUP BY u.id, u.username
    ORDER BY points DESC
    LIMIT 50
"""


@login_required
@require_GET
def my_courses(request):
    """Dashboard tiles: each enrolled course with a % complete bar."""
    enrollments = (
        Enrollment.objects.filter(user=request.user, status="active")
        .select_related("course", "course__instructor")
        .order_by("-last_accessed")[:30]
    )
    tiles = []
    for enrollment in enrollments:
        course = enrollment.course
        total = course.lesson_count  # denormalised on publish
        done = LessonCompletion.objects.filter(user=request.user, lesson__course=course).count()
        tiles.append({
            "course_id": course.id,
            "title": course.title,
            "instructor": course.instructor.get_full_name(),
            "percent": round(100 * done / total) if total else 0,
        })
    return JsonResponse({"courses": tiles})


@login_required
@require_GET
def course_outline(request, course_id):
    course = get_object_or_404(Course, pk=course_id, published=True)
    lessons = (
        Lesson.objects.filter(course=course)
        .annotate(done=Count("completions", filter=Q(completions__user=request.user)))
        .order_by("module_no", "position")
    )
    return JsonResponse({
        "title": course.title,
        "lessons": [
            {"id": l.id, "title": l.title, "module": l.module_no, "done": bool(l.done)}
            for l in lessons
        ],
    })


@login_required
@require_GET
def leaderboard(request, course_id):
    """Top 50 learners by quiz points. Shown on the course home page."""
    with connection.cursor() as cursor:
        cursor.execute(LEADERBOARD_SQL, [course_id])
        rows = cursor.fetchall()
    return JsonResponse({
        "leaders": [
            {"user_id": r[0], "username": r[1], "points": r[2], "quizzes": r[3]} for r in rows
        ]
    })


@instructor_required
@require_GET
def export_submissions(request, course_id):
    """Instructor download of every assignment submission in the course."""
    course = get_object_or_404(Course, pk=course_id, instructor=request.user)
    subs = Submission.objects.filter(assignment__course=course).values(
        "id", "student__email", "assignment__title", "grade", "submitted_at", "feedback"
    )
    if request.GET.get("format") == "csv":
        resp = HttpResponse(content_type="text/csv")
        resp["Content-Disposition"] = f'attachment; filename="course-{course.id}-submissions.csv"'
        writer = csv.DictWriter(resp, fieldnames=["id", "student__email", "assignment__title",
                                                  "grade", "submitted_at", "feedback"])
        writer.writeheader()
        writer.writerows(subs)
        return resp
    return JsonResponse({"submissions": list(subs)}, json_dumps_params={"default": str})
