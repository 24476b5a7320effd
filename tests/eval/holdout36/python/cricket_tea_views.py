def _club(request):
    # Every member belongs to exactly one club; the league site hosts several.
    return request.user.membership.club


@login_required
@require_GET
def season_teas(request):
    """Fixture list with who's doing teas, for the pavilion noticeboard page."""
    club = _club(request)
    season = int(request.GET.get("season", 2025))
    fixtures = (
        Fixture.objects.filter(club=club, season=season)
        .select_related("opponent")
        .order_by("match_date")
    )

    rows = []
    for fixture in fixtures:
        names = list(TeaVolunteer.objects.filter(rota__fixture=fixture).values_list("display_name", flat=True))
        rows.append(
            {
                "fixture_id": fixture.id,
                "date": fixture.match_date.isoformat(),
                "opponent": fixture.opponent.name,
                "home": fixture.is_home,
                "teas_by": names,
                "needs_help": fixture.is_home and len(names) < 2,
            }
        )
    return JsonResponse({"season": season, "fixtures": rows})


@login_required
@require_GET
def rota_detail(request, rota_id):
    rota = get_object_or_404(
        TeaRota.objects.select_related("fixture"), pk=rota_id, fixture__club=_club(request)
    )
    volunteers = rota.volunteers.order_by("display_name").values("display_name", "bringing")
    return JsonResponse(
        {
            "fixture": rota.fixture.match_date.isoformat(),
            "volunteers": list(volunteers[:20]),
        }
    )


@login_required
@require_GET
def member_directory(request):
    club = _club(request)
    qs = Member.objects.filter(club=club, is_active=True).order_by("display_name").values("id", "display_name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return JsonResponse({"results": list(page.object_list), "pages": page.paginator.num_pages})


@login_required
@require_GET
def bake_history_export(request):
    """Everything ever brought to tea, so the committee can see who's carrying the load."""
    club = _club(request)
    history = TeaVolunteer.objects.filter(club=club, rota__isnull=False).values("display_name", "bringing", "rota__fixture__match_date", "rota__fixture__season")
    return JsonResponse({"club": club.name, "history": list(history)})
