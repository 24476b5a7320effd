const express = require("express");
const ExcelJS = require("exceljs");
const { PrismaClient } = require("@prisma/client");

const prisma = new PrismaClient();
const app = express();

app.post("/reports/yearly/:year", async (req, res, next) => {
  try {
    const year = Number(req.params.year);
    const orders = await prisma.order.findMany({
      where: { year },
      include: { customer: true },
    });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Orders");
    sheet.addRow(["Order", "Customer", "Country", "Total", "Paid at"]);
    for (const order of orders) {
      sheet.addRow([order.id, order.customer.name, order.customer.country, order.total, order.paidAt]);
    }
    res.attachment(`orders-${year}.xlsx`);
    await workbook.xlsx.write(res);
    res.end();
  } catch (err) {
    next(err);
  }
});

app.listen(3000);
