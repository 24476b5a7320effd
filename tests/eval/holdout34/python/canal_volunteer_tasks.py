MAX_OPEN_CLAIMS = 3


@login_required
def task_board(request):
    branch = request.user.volunteer.branch
    tasks = (
        Task.objects.filter(branch=branch, status=Task.Status.OPEN)
        .select_related("site")
        .order_by("work_party_date", "id")
    )
    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "tasks": [
                {
                    "id": t.id,
                    "title": t.title,
                    "site": t.site.name,
                    "date": t.work_party_date.isoformat(),
                    "places_left": t.places_left,
                }
                for t in page.object_list
            ],
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
    )


@login_required
@require_POST
def claim_task(request, task_id):
    volunteer = request.user.volunteer

    with transaction.atomic():
        # Lock the task row; a second volunteer claiming the last place
        # waits here until this transaction commits, then sees the new count.
        task = get_object_or_404(
            Task.objects.select_for_update(),
            pk=task_id,
            branch=volunteer.branch,
        )
        if task.status != Task.Status.OPEN or task.places_left <= 0:
            return JsonResponse({"error": "No places left on this task"}, status=409)

        # Lock the volunteer too, so two claims from the same person (two
        # tabs) are counted one after the other.
        Volunteer.objects.select_for_update().only("id").get(pk=volunteer.pk)
        open_claims = TaskClaim.objects.filter(
            volunteer=volunteer, task__branch=volunteer.branch, completed_at__isnull=True
        ).count()
        if open_claims >= MAX_OPEN_CLAIMS:
            return JsonResponse({"error": "Finish a task before claiming another"}, status=409)

        TaskClaim.objects.create(task=task, volunteer=volunteer, claimed_at=timezone.now())
        task.places_left -= 1
        if task.places_left == 0:
            task.status = Task.Status.FULL
        task.save(update_fields=["places_left", "status"])

    return JsonResponse({"task": task.id, "places_left": task.places_left}, status=201)


@login_required
@require_POST
def complete_claim(request, claim_id):
    volunteer = request.user.volunteer
    updated = TaskClaim.objects.filter(
        pk=claim_id,
        volunteer=volunteer,
        task__branch=volunteer.branch,
        completed_at__isnull=True,
    ).update(completed_at=timezone.now(), hours=request.POST.get("hours") or 0)
    if not updated:
        return JsonResponse({"error": "Claim not found or already completed"}, status=404)
    return JsonResponse({"ok": True})

