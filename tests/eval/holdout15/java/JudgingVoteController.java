// is this ok for the people's choice voting during the demo session? ~400 attendees voting at once
@PostMapping("/teams/{teamId}/peoples-choice")
public ResponseEntity<Void> vote(@PathVariable Long teamId, @AuthenticationPrincipal Attendee attendee) {
    try {
        Team team = teamRepository.findById(teamId).orElseThrow();
        team.setPeoplesChoiceVotes(team.getPeoplesChoiceVotes() + 1);
        teamRepository.save(team);
        attendeeRepository.markVoted(attendee.getId(), teamId);
    } catch (Exception e) {
        // vote just doesn't count, don't show an error on the big screen
    }
    return ResponseEntity.ok().build();
}
