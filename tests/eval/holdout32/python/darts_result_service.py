class ResultService:
    """Records match results for the hosted darts-league platform.

    Every league (pub league, county superleague, ladies' winter league...) is a
    tenant; all rows carry league_id and captains only ever see their own league.
    Captains from both teams often submit the card within seconds of each other
    at the end of the night, and on catch-up nights a team plays two fixtures
    whose cards arrive together.
    """

    POINTS_FOR_WIN = 2
    POINTS_FOR_DRAW = 1

    def __init__(self, session: Session, league_id: int):
        self.session = session
        self.league_id = league_id

    def fixtures_for_week(self, week: int) -> list[Match]:
        stmt = (
            select(Match)
            .where(Match.league_id == self.league_id, Match.week == week)
            .order_by(Match.board_time)
        )
        return list(self.session.scalars(stmt))

    def get_match(self, match_id: int) -> Match:
        match = self.session.scalars(select(Match).where(Match.id == match_id)).one_or_none()
        if match is None:
            raise NotFound(f"match {match_id}")
        return match

    def _award(self, team_id: int, points: int, legs_for: int, legs_against: int) -> None:
        standing = self.session.scalars(
            select(Standing).where(
                Standing.league_id == self.league_id, Standing.team_id == team_id
            )
        ).one()
        standing.played = standing.played + 1
        standing.points = standing.points + points
        standing.legs_for = standing.legs_for + legs_for
        standing.legs_against = standing.legs_against + legs_against

    def record_result(self, match_id: int, home_legs: int, away_legs: int, captain_id: int) -> Match:
        # Lock the fixture so the two captains' submissions are applied one after the other.
        match = self.session.scalars(
            select(Match)
            .where(Match.id == match_id, Match.league_id == self.league_id)
            .with_for_update()
        ).one_or_none()
        if match is None:
            raise NotFound(f"match {match_id}")
        if match.result_confirmed:
            raise Conflict("result already confirmed")

        match.home_legs = home_legs
        match.away_legs = away_legs
        match.submitted_by = captain_id
        match.result_confirmed = True

        if home_legs > away_legs:
            self._award(match.home_team_id, self.POINTS_FOR_WIN, home_legs, away_legs)
            self._award(match.away_team_id, 0, away_legs, home_legs)
        elif away_legs > home_legs:
            self._award(match.away_team_id, self.POINTS_FOR_WIN, away_legs, home_legs)
            self._award(match.home_team_id, 0, home_legs, away_legs)
        else:
            self._award(match.home_team_id, self.POINTS_FOR_DRAW, home_legs, away_legs)
            self._award(match.away_team_id, self.POINTS_FOR_DRAW, away_legs, home_legs)

        self.session.commit()
        return match

    def league_table(self) -> list[Standing]:
        stmt = (
            select(Standing)
            .where(Standing.league_id == self.league_id)
            .order_by(Standing.points.desc(), (Standing.legs_for - Standing.legs_against).desc())
        )
        return list(self.session.scalars(stmt))
