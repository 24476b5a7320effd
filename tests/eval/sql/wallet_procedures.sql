-- SQL Server stored procedures for the wallet service

CREATE OR ALTER PROCEDURE dbo.Wallet_Debit
    @WalletId BIGINT,
    @Amount   DECIMAL(12, 2)
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @Balance DECIMAL(12, 2);

    SELECT @Balance = Balance FROM dbo.Wallets WHERE WalletId = @WalletId;
    IF @Balance < @Amount
        THROW 50001, 'Insufficient balance', 1;

    SET @Balance = @Balance - @Amount;
    UPDATE dbo.Wallets SET Balance = @Balance, UpdatedAt = SYSUTCDATETIME() WHERE WalletId = @WalletId;
    INSERT INTO dbo.WalletEntries (WalletId, Delta) VALUES (@WalletId, -@Amount);
END
GO

CREATE OR ALTER PROCEDURE dbo.Wallet_Credit
    @WalletId BIGINT,
    @Amount   DECIMAL(12, 2)
AS
BEGIN
    SET NOCOUNT ON;
    UPDATE dbo.Wallets SET Balance = Balance + @Amount, UpdatedAt = SYSUTCDATETIME() WHERE WalletId = @WalletId;
    IF @@ROWCOUNT = 0
        THROW 50002, 'Unknown wallet', 1;
    INSERT INTO dbo.WalletEntries (WalletId, Delta) VALUES (@WalletId, @Amount);
END
GO
