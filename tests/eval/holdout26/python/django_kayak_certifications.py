# certs/views.py
#
# Kayak instructor certifications. Several paddling clubs share this
# deployment; staff only ever see their own club's instructors. An assessor
# signs off modules one at a time (rescues, rolling, group leadership...) and
# the certificate is issued once all modules are passed.

PAGE_SIZE = 25
CERT_VALIDITY = timedelta(days=3 * 365)


def _club(request):
    return request.user.profile.club


@login_required
@require_GET
def certification_list(request):
    club = _club(request)
    qs = (
        Certification.objects.filter(club=club)
        .select_related("instructor", "level")
        .order_by("instructor__last_name", "level__rank")
    )
    if request.GET.get("expiring") == "1":
        qs = qs.filter(expires_on__lte=timezone.now().date() + timedelta(days=60))

    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse({
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            {
                "id": c.id,
                "instructor": c.instructor.get_full_name(),
                "level": c.level.name,
                "modules_passed": c.modules_passed,
                "modules_required": c.level.modules_required,
                "expires_on": c.expires_on.isoformat() if c.expires_on else None,
            }
            for c in page.object_list
        ],
    })


@login_required
@permission_required("certs.sign_off_module", raise_exception=True)
@require_POST
def sign_off_module(request, cert_id, module_code):
    club = _club(request)
    with transaction.atomic():
        # row lock: two assessors signing different modules at once both count
        cert = get_object_or_404(
            Certification.objects.select_for_update().select_related("level"),
            pk=cert_id,
            club=club,
        )
        # ModuleSignoff has UniqueConstraint(certification, module_code)
        _, created = ModuleSignoff.objects.get_or_create(
            certification=cert,
            module_code=module_code,
            defaults={"assessor": request.user},
        )
        if created:
            Certification.objects.filter(pk=cert.pk).update(modules_passed=F("modules_passed") + 1)
            cert.refresh_from_db(fields=["modules_passed"])

        if cert.modules_passed >= cert.level.modules_required and cert.issued_on is None:
            cert.issued_on = timezone.now().date()
            cert.expires_on = cert.issued_on + CERT_VALIDITY
            cert.save(update_fields=["issued_on", "expires_on"])

    return JsonResponse({
        "id": cert.id,
        "modules_passed": cert.modules_passed,
        "issued_on": cert.issued_on.isoformat() if cert.issued_on else None,
        "already_signed": not created,
    })
