/* Yard management - dock bookings and shipment status sync
   SQL Server 2019, database: YardOps
   usp_SyncOpenShipmentStatus runs from SQL Agent every 5 minutes
   (typically 40-70k open shipments). */

USE YardOps;
GO

CREATE OR ALTER PROCEDURE dbo.usp_BookDockSlot
    @WarehouseId INT,
    @DockId      INT,
    @SlotStart   DATETIME2(0),
    @CarrierId   INT,
    @TrailerRef  NVARCHAR(40)
AS
BEGIN
    SET NOCOUNT ON;

    IF EXISTS (SELECT 1 FROM dbo.DockAppointments
               WHERE DockId = @DockId
                 AND SlotStart = @SlotStart
                 AND Status <> 'Cancelled')
    BEGIN
        RAISERROR('Dock %d is already booked for that slot.', 16, 1, @DockId);
        RETURN;
    END

    INSERT INTO dbo.DockAppointments (WarehouseId, DockId, SlotStart, SlotEnd, CarrierId, TrailerRef, Status, CreatedAt)
    VALUES (@WarehouseId, @DockId, @SlotStart, DATEADD(MINUTE, 45, @SlotStart), @CarrierId, @TrailerRef, 'Booked', SYSUTCDATETIME());

    SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS AppointmentId;
END
GO

CREATE OR ALTER PROCEDURE dbo.usp_SyncOpenShipmentStatus
AS
BEGIN
    SET NOCOUNT ON;

    DECLARE @ShipmentId  BIGINT,
            @EventCode   NVARCHAR(20),
            @EventAt     DATETIME2(0),
            @NewStatus   NVARCHAR(20);

    DECLARE open_shipments CURSOR LOCAL FAST_FORWARD FOR
        SELECT ShipmentId
          FROM dbo.Shipments
         WHERE Status NOT IN ('Delivered', 'Cancelled', 'Returned');

    OPEN open_shipments;
    FETCH NEXT FROM open_shipments INTO @ShipmentId;

    WHILE @@FETCH_STATUS = 0
    BEGIN
        SELECT TOP (1) @EventCode = e.EventCode, @EventAt = e.EventAt
          FROM dbo.TrackingEvents e
         WHERE e.ShipmentId = @ShipmentId
         ORDER BY e.EventAt DESC;

        SET @NewStatus = CASE @EventCode
                             WHEN 'DLV' THEN 'Delivered'
                             WHEN 'OFD' THEN 'OutForDelivery'
                             WHEN 'EXC' THEN 'Exception'
                             WHEN 'RTS' THEN 'Returned'
                             ELSE 'InTransit'
                         END;

        UPDATE dbo.Shipments
           SET Status = @NewStatus, LastEventAt = @EventAt, UpdatedAt = SYSUTCDATETIME()
         WHERE ShipmentId = @ShipmentId
           AND (Status <> @NewStatus OR LastEventAt IS NULL OR LastEventAt < @EventAt);

        SET @EventCode = NULL;
        SET @EventAt = NULL;
        FETCH NEXT FROM open_shipments INTO @ShipmentId;
    END

    CLOSE open_shipments;
    DEALLOCATE open_shipments;
END
GO
