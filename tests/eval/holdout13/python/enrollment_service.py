"""
Enrollment service (fixed version).

Your original view read ``section.enrolled``, compared it to ``capacity`` and then
saved ``enrolled + 1``. Two students pressing "Enroll" at the same moment could both
pass the check and the counter could lose an increment. This version:

1. locks the Section row with ``SELECT ... FOR UPDATE`` inside ``transaction.atomic()``,
   so concurrent enrollments for the same section are serialised;
2. relies on ``UniqueConstraint(fields=["student", "section"])`` for duplicates;
3. increments the counter with an ``F()`` expression;
4. loads the schedule with ``select_related`` instead of one query per row.
"""
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Enrollment, Section
from .terms import current_term


class SectionFull(Exception):
    pass


class AlreadyEnrolled(Exception):
    pass


def enroll_student(student, section_id: int) -> Enrollment:
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section_id)
        if section.enrolled >= section.capacity:
            raise SectionFull(section.code)
        try:
            with transaction.atomic():  # savepoint so the outer transaction survives
                enrollment = Enrollment.objects.create(student=student, section=section)
        except IntegrityError:
            raise AlreadyEnrolled(section.code)
        Section.objects.filter(pk=section.pk).update(enrolled=F("enrolled") + 1)
    return enrollment


@login_required
@require_POST
def enroll(request, section_id):
    try:
        enroll_student(request.user.student, section_id)
    except Section.DoesNotExist:
        return JsonResponse({"error": "no such section"}, status=404)
    except SectionFull:
        return JsonResponse({"error": "section full"}, status=409)
    except AlreadyEnrolled:
        return JsonResponse({"error": "already enrolled"}, status=409)
    return JsonResponse({"ok": True}, status=201)


@login_required
def my_schedule(request):
    qs = (
        Enrollment.objects
        .filter(student=request.user.student, section__term=current_term())
        .select_related("section__course", "section__instructor")
        .order_by("section__course__code")
    )
    classes = [
        {
            "code": e.section.course.code,
            "title": e.section.course.title,
            "credits": e.section.course.credits,
            "section": e.section.number,
            "instructor": e.section.instructor.display_name,
            "meets": e.section.meeting_pattern,
        }
        for e in qs
    ]
    return JsonResponse({"term": current_term().code, "classes": classes})
