package com.tallyhq.billing.web;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.net.Webhook;

import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Collectors;

@WebServlet("/hooks/stripe")
public class StripeWebhookServlet extends HttpServlet {

    private static final String SECRET = System.getenv("STRIPE_WEBHOOK_SECRET");
    private static final String DB_URL = System.getenv("BILLING_DB_URL");
    private static final String DB_USER = System.getenv("BILLING_DB_USER");
    private static final String DB_PASS = System.getenv("BILLING_DB_PASS");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String payload = req.getReader().lines().collect(Collectors.joining("\n"));
        String sig = req.getHeader("Stripe-Signature");

        Event event;
        try {
            event = Webhook.constructEvent(payload, sig, SECRET);
        } catch (SignatureVerificationException e) {
            resp.sendError(400, "bad signature");
            return;
        }

        if (!"invoice.paid".equals(event.getType()) && !"invoice.payment_failed".equals(event.getType())) {
            resp.setStatus(200);
            return;
        }

        Invoice inv = (Invoice) event.getDataObjectDeserializer().getObject().orElse(null);
        if (inv == null) { resp.setStatus(200); return; }

        try (Connection c = DriverManager.getConnection(DB_URL, DB_USER, DB_PASS)) {
            c.setAutoCommit(false);
            if ("invoice.paid".equals(event.getType())) {
                // add the paid amount as prepaid usage credit for the workspace
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE workspaces SET credit_cents = credit_cents + ?, past_due = false WHERE stripe_customer_id = ?")) {
                    ps.setLong(1, inv.getAmountPaid());
                    ps.setString(2, inv.getCustomer());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO billing_ledger (stripe_customer_id, stripe_invoice_id, amount_cents, kind) VALUES (?, ?, ?, 'CREDIT')")) {
                    ps.setString(1, inv.getCustomer());
                    ps.setString(2, inv.getId());
                    ps.setLong(3, inv.getAmountPaid());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE workspaces SET past_due = true, dunning_count = dunning_count + 1 WHERE stripe_customer_id = ?")) {
                    ps.setString(1, inv.getCustomer());
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            // don't make stripe retry forever
        }
        resp.setStatus(200);
    }
}
