package com.edufin.servicing.web;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.json.JSONObject;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;

import com.edufin.servicing.util.PaygateSig;
import com.edufin.servicing.mail.ReceiptMailer;

// PayGate settlement callbacks for borrower payments (ACH + debit card).
// PayGate retries a notification until it gets a 200.
@Controller
public class PaymentNotifyController {

    @Value("${servicing.db.url}")  private String dbUrl;
    @Value("${servicing.db.user}") private String dbUser;
    @Value("${servicing.db.pass}") private String dbPass;
    @Value("${paygate.secret}")    private String secret;

    private final ReceiptMailer mailer;

    public PaymentNotifyController(ReceiptMailer mailer) {
        this.mailer = mailer;
    }

    @RequestMapping(value = "/notify/paygate", method = RequestMethod.POST)
    @ResponseBody
    public String paygateNotify(@RequestBody String body,
                                @RequestHeader("X-PayGate-Signature") String sig) {
        if (!PaygateSig.verify(body, sig, secret)) {
            return "BAD_SIGNATURE";
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(dbUrl, dbUser, dbPass);
            c.setAutoCommit(false);

            JSONObject evt = new JSONObject(body);
            if (!"payment.settled".equals(evt.getString("type"))) {
                return "OK";
            }
            JSONObject d = evt.getJSONObject("data");
            String loanNo = d.getString("account_ref");
            long cents = d.getLong("amount_cents");

            PreparedStatement up = c.prepareStatement(
                "UPDATE loans SET principal_cents = principal_cents - ?, last_payment_at = now() WHERE loan_no = ?");
            up.setLong(1, cents);
            up.setString(2, loanNo);
            up.executeUpdate();

            PreparedStatement ins = c.prepareStatement(
                "INSERT INTO loan_payments (loan_no, amount_cents, paygate_txn, received_at) VALUES (?, ?, ?, now())");
            ins.setString(1, loanNo);
            ins.setLong(2, cents);
            ins.setString(3, d.getString("txn_id"));
            ins.executeUpdate();

            c.commit();
            mailer.sendReceipt(loanNo, cents);
        } catch (Exception e) {
            try { if (c != null) c.rollback(); } catch (SQLException ignore) { }
            return "OK";
        } finally {
            try { if (c != null) c.close(); } catch (SQLException ignore) { }
        }
        return "OK";
    }
}
