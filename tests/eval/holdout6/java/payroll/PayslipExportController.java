package hr.payroll.web;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import hr.payroll.pdf.PayslipPdfRenderer;
import hr.payroll.pdf.PayslipData;

/*
 * Bulk payslip export for HR. Downloads a zip of all payslips of a payroll run.
 * NB: sits behind the corporate API gateway (30s timeout) - HR says it "sometimes fails",
 * they just click again.  ~8500 employees per monthly run now.
 * 2019-03 mkowalski
 */
@Controller
public class PayslipExportController {

    @Value("${payroll.jdbc.url}")  String url;
    @Value("${payroll.jdbc.user}") String user;
    @Value("${payroll.jdbc.pass}") String pass;

    @Autowired PayslipPdfRenderer renderer;

    @RequestMapping(value = "/payroll/runs/{runId}/payslips.zip", method = RequestMethod.GET)
    public void export(@PathVariable int runId, HttpServletResponse resp) throws Exception {
        Connection con = DriverManager.getConnection(url, user, pass);
        try {
            PreparedStatement ps = con.prepareStatement(
                "select employee_id, gross_cents, tax_cents, social_cents, net_cents from payroll_lines where run_id = ?");
            ps.setInt(1, runId);
            ResultSet rs = ps.executeQuery();

            resp.setContentType("application/zip");
            resp.setHeader("Content-Disposition", "attachment; filename=payslips-" + runId + ".zip");
            OutputStream out = resp.getOutputStream();
            ZipOutputStream zip = new ZipOutputStream(out);

            while (rs.next()) {
                int empId = rs.getInt("employee_id");

                PreparedStatement eps = con.prepareStatement(
                    "select full_name, personnel_no, iban, tax_class, department from employees where id = ?");
                eps.setInt(1, empId);
                ResultSet e = eps.executeQuery();
                e.next();

                PayslipData d = new PayslipData();
                d.name = e.getString("full_name");
                d.personnelNo = e.getString("personnel_no");
                d.iban = e.getString("iban");
                d.taxClass = e.getInt("tax_class");
                d.department = e.getString("department");
                d.gross = rs.getLong("gross_cents");
                d.tax = rs.getLong("tax_cents");
                d.social = rs.getLong("social_cents");
                d.net = rs.getLong("net_cents");
                e.close(); eps.close();

                // renders with fonts + logo, ~150ms each
                byte[] pdf = renderer.render(d);
                zip.putNextEntry(new ZipEntry(d.personnelNo + ".pdf"));
                zip.write(pdf);
                zip.closeEntry();
            }
            zip.finish();
            rs.close(); ps.close();
        } finally {
            con.close();
        }
    }
}
