# is this safe? parents hit "join" at the same time when registration opens
@login_required
@require_POST
def join_team(request, team_id):
    team = Team.objects.get(pk=team_id)
    child = get_object_or_404(Child, pk=request.POST["child_id"], parent=request.user)
    Enrollment.objects.create(team=team, child=child)
    team.enrolled_count = team.enrolled_count + 1
    team.save()
    return redirect("team_detail", team_id=team.id)
