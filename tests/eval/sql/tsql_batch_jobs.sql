-- SQL Agent job: close out invoices that are past due

DECLARE @InvoiceId INT, @CustomerId INT;

DECLARE overdue CURSOR FAST_FORWARD FOR
    SELECT InvoiceId, CustomerId FROM dbo.Invoices
    WHERE Status = 'open' AND DueDate < DATEADD(day, -30, GETDATE());

OPEN overdue;
FETCH NEXT FROM overdue INTO @InvoiceId, @CustomerId;
WHILE @@FETCH_STATUS = 0
BEGIN
    UPDATE dbo.Invoices SET Status = 'overdue' WHERE InvoiceId = @InvoiceId;
    INSERT INTO dbo.Reminders (CustomerId, InvoiceId, Kind) VALUES (@CustomerId, @InvoiceId, 'overdue');
    FETCH NEXT FROM overdue INTO @InvoiceId, @CustomerId;
END
CLOSE overdue;
DEALLOCATE overdue;

-- the same thing for credit notes, set-based
UPDATE dbo.CreditNotes SET Status = 'expired' WHERE Status = 'open' AND ExpiresOn < GETDATE();
