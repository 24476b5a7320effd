import express, { Request, Response, NextFunction } from "express";
import { Client } from "pg";
import PDFDocument from "pdfkit";
import { mailer } from "../mail";
import { pool } from "../db";
import { requireLibrarian } from "../auth";

export const loansRouter = express.Router();

interface OverdueLoan {
  loan_id: number;
  tool_name: string;
  due_back: Date;
  member_name: string;
  member_email: string;
  deposit_pence: number;
}

function renderReminderPdf(loan: OverdueLoan): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "A4", margin: 56 });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.fontSize(18).text("Tool Library — overdue item", { underline: true });
    doc.moveDown().fontSize(12).text(`Dear ${loan.member_name},`);
    doc.moveDown().text(
      `Our records show the ${loan.tool_name} was due back on ${loan.due_back.toDateString()}. ` +
        `Other members are waiting for it. Please return it at the next opening session; ` +
        `after 28 days your deposit of £${(loan.deposit_pence / 100).toFixed(2)} is kept.`
    );
    doc.end();
  });
}

// Librarian presses "Send overdue letters" on the admin page once a week.
loansRouter.post("/libraries/:libraryId/overdue-letters", requireLibrarian, async (req: Request, res: Response, next: NextFunction) => {
  const libraryId = Number(req.params.libraryId);
  try {
    const { rows: overdueLoans } = await pool.query<OverdueLoan>(
      `SELECT l.id AS loan_id, t.name AS tool_name, l.due_back, m.name AS member_name,
              m.email AS member_email, l.deposit_pence
         FROM loans l
         JOIN tools t ON t.id = l.tool_id
         JOIN members m ON m.id = l.member_id
        WHERE l.library_id = $1 AND l.returned_at IS NULL AND l.due_back < current_date`,
      [libraryId]
    );

    let sent = 0;
    for (const loan of overdueLoans) {
      const pdf = await renderReminderPdf(loan);
      await mailer.sendMail({
        to: loan.member_email,
        subject: `Overdue: ${loan.tool_name}`,
        text: "Please see the attached reminder from the tool library.",
        attachments: [{ filename: `reminder-${loan.loan_id}.pdf`, content: pdf }],
      });
      sent += 1;
    }

    res.json({ sent });
  } catch (err) {
    next(err);
  }
});

// Member-facing loan detail, linked from the reminder email.
loansRouter.get("/libraries/:libraryId/loans/:loanId", async (req: Request, res: Response, next: NextFunction) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT l.id, t.name AS tool_name, l.borrowed_at, l.due_back, l.returned_at
         FROM loans l JOIN tools t ON t.id = l.tool_id
        WHERE l.id = $1 AND l.library_id = $2 AND l.member_id = $3`,
      [Number(req.params.loanId), Number(req.params.libraryId), req.user!.memberId]
    );
    if (rows.length === 0) return res.status(404).json({ error: "Loan not found" });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  } finally {
    await client.end();
  }
});
