/* Shift marketplace (HR / workforce scheduling), SQL Server.
   Employees claim open shifts from the mobile app; payroll prep runs nightly.
   All tables are keyed by CompanyId. */

CREATE OR ALTER PROCEDURE hr.usp_ClaimOpenShift
    @CompanyId  INT,
    @ShiftId    BIGINT,
    @EmployeeId INT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    BEGIN TRY
        BEGIN TRANSACTION;

        -- Only the first claimant wins: the WHERE clause re-checks the shift is still open.
        UPDATE hr.Shifts
           SET ClaimedBy = @EmployeeId, ClaimedAt = SYSUTCDATETIME(), Status = 'Claimed'
         WHERE CompanyId = @CompanyId
           AND ShiftId = @ShiftId
           AND Status = 'Open'
           AND ClaimedBy IS NULL;

        IF @@ROWCOUNT = 0
        BEGIN
            ROLLBACK TRANSACTION;
            THROW 50010, 'Shift is no longer open.', 1;
        END

        INSERT INTO hr.ShiftAudit (CompanyId, ShiftId, EmployeeId, Action, At)
        VALUES (@CompanyId, @ShiftId, @EmployeeId, 'Claimed', SYSUTCDATETIME());

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
        THROW;
    END CATCH
END
GO

CREATE OR ALTER PROCEDURE hr.usp_ListOpenShifts
    @CompanyId  INT,
    @LocationId INT,
    @Page       INT = 0,
    @PageSize   INT = 50
AS
BEGIN
    SET NOCOUNT ON;
    IF @PageSize > 200 SET @PageSize = 200;

    SELECT s.ShiftId, s.RoleCode, s.StartsAt, s.EndsAt, s.HourlyRate
      FROM hr.Shifts s
     WHERE s.CompanyId = @CompanyId
       AND s.LocationId = @LocationId
       AND s.Status = 'Open'
       AND s.StartsAt > SYSUTCDATETIME()
     ORDER BY s.StartsAt, s.ShiftId
     OFFSET @Page * @PageSize ROWS FETCH NEXT @PageSize ROWS ONLY;
END
GO

/* Nightly: compute worked hours and gross pay for yesterday's completed
   shifts in one set-based statement (replaces the old per-shift cursor). */
CREATE OR ALTER PROCEDURE hr.usp_PrepareShiftPay
    @CompanyId INT,
    @WorkDate  DATE
AS
BEGIN
    SET NOCOUNT ON;

    UPDATE s
       SET s.WorkedMinutes = DATEDIFF(MINUTE, t.ClockIn, t.ClockOut),
           s.GrossPay      = CAST(DATEDIFF(MINUTE, t.ClockIn, t.ClockOut) AS DECIMAL(9, 2)) / 60
                             * s.HourlyRate * ISNULL(r.Multiplier, 1.0)
      FROM hr.Shifts s
      JOIN hr.TimeClock t
        ON t.CompanyId = s.CompanyId AND t.ShiftId = s.ShiftId
      LEFT JOIN hr.PayRules r
        ON r.CompanyId = s.CompanyId AND r.RoleCode = s.RoleCode AND r.DayType = hr.fn_DayType(@WorkDate)
     WHERE s.CompanyId = @CompanyId
       AND s.Status = 'Completed'
       AND CAST(s.StartsAt AS DATE) = @WorkDate
       AND t.ClockOut IS NOT NULL;
END
GO
