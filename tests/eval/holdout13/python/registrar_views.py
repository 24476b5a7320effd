# registrar/views.py
import json

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Course, Enrollment, Section


@login_required
@require_POST
def enroll(request, section_id):
    student = request.user.student
    section = Section.objects.get(pk=section_id)
    if section.enrolled >= section.capacity:
        return JsonResponse({"error": "section full"}, status=409)
    Enrollment.objects.create(student=student, section=section)
    section.enrolled = section.enrolled + 1
    section.save()
    return JsonResponse({"ok": True, "seats_left": section.capacity - section.enrolled})


@login_required
@require_POST
def drop(request, section_id):
    enr = get_object_or_404(Enrollment, student=request.user.student, section_id=section_id)
    enr.delete()
    Section.objects.filter(pk=section_id).update(enrolled=F("enrolled") - 1)
    return JsonResponse({"ok": True})


@login_required
def my_schedule(request):
    out = []
    for e in Enrollment.objects.filter(student=request.user.student, section__term=request.GET.get("term")):
        course = Course.objects.get(pk=e.section.course_id)
        out.append({
            "code": course.code,
            "title": course.title,
            "credits": course.credits,
            "section": e.section.number,
            "room": e.section.room,
            "meets": e.section.meeting_pattern,
        })
    return JsonResponse({"classes": out})


@login_required
def section_detail(request, section_id):
    s = get_object_or_404(Section.objects.select_related("course", "instructor"), pk=section_id)
    return JsonResponse({
        "course": s.course.code,
        "instructor": s.instructor.display_name,
        "capacity": s.capacity,
        "enrolled": s.enrolled,
        "waitlist_open": s.waitlist_open,
    })


# used by the IR office dashboard (staff only)
@login_required
def enrollment_dump(request):
    if not request.user.is_staff:
        return HttpResponseForbidden()
    rows = list(Enrollment.objects.values("student__netid", "section__course__code", "section__term", "created_at"))
    return JsonResponse({"count": len(rows), "rows": rows}, json_dumps_params={"default": str})
