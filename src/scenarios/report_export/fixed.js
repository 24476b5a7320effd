const express = require("express");
const ExcelJS = require("exceljs");
const { Queue, Worker } = require("bullmq");
const { PrismaClient } = require("@prisma/client");
const { uploadReport } = require("./storage");

const connection = { host: "redis", port: 6379 };
const reports = new Queue("reports", { connection });
const prisma = new PrismaClient();
const app = express();

// Builds the workbook outside any request (in production: its own worker process).
new Worker("reports", async (job) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Orders");
  sheet.addRow(["Order", "Customer", "Country", "Total", "Paid at"]);
  const orders = await prisma.order.findMany({ where: { year: job.data.year }, include: { customer: true } });
  for (const order of orders) {
    sheet.addRow([order.id, order.customer.name, order.customer.country, order.total, order.paidAt]);
  }
  return uploadReport(await workbook.xlsx.writeBuffer(), `orders-${job.data.year}.xlsx`);
}, { connection });

app.post("/reports/yearly/:year", async (req, res) => {
  const year = Number(req.params.year);
  const job = await reports.add(
    "yearly",
    { year },
    { attempts: 3, backoff: { type: "exponential", delay: 5000 } }
  );
  res.status(202).json({ jobId: job.id, statusUrl: `/reports/jobs/${job.id}` });
});

app.get("/reports/jobs/:id", async (req, res) => {
  const job = await reports.getJob(req.params.id);
  if (!job) {
    return res.status(404).json({ error: "No such job" });
  }
  const state = await job.getState();
  if (state === "completed") {
    return res.json({ status: "done", downloadUrl: job.returnvalue });
  }
  res.set("Retry-After", "5").json({ status: state });
});

app.listen(3000);
