package net.clubhub.web;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mindrot.jbcrypt.BCrypt;

import net.clubhub.mail.Mailer;

@WebServlet("/register")
public class RegistrationServlet extends HttpServlet {

    private static final SecureRandom RANDOM = new SecureRandom();

    private String dbUrl;
    private String dbUser;
    private String dbPass;

    @Override
    public void init() {
        dbUrl = getServletContext().getInitParameter("db.url");
        dbUser = getServletContext().getInitParameter("db.user");
        dbPass = getServletContext().getInitParameter("db.password");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String username = req.getParameter("username").trim().toLowerCase();
        String email = req.getParameter("email").trim();
        String password = req.getParameter("password");

        try (Connection conn = DriverManager.getConnection(dbUrl, dbUser, dbPass)) {
            PreparedStatement check = conn.prepareStatement("SELECT 1 FROM members WHERE username = ?");
            check.setString(1, username);
            ResultSet rs = check.executeQuery();
            if (rs.next()) {
                req.setAttribute("error", "That username is already taken");
                req.getRequestDispatcher("/WEB-INF/jsp/register.jsp").forward(req, resp);
                return;
            }

            PreparedStatement insert = conn.prepareStatement(
                    "INSERT INTO members (username, email, password_hash, verified) VALUES (?, ?, ?, false)",
                    PreparedStatement.RETURN_GENERATED_KEYS);
            insert.setString(1, username);
            insert.setString(2, email);
            insert.setString(3, BCrypt.hashpw(password, BCrypt.gensalt(12)));
            insert.executeUpdate();
            ResultSet keys = insert.getGeneratedKeys();
            keys.next();
            long memberId = keys.getLong(1);

            byte[] raw = new byte[24];
            RANDOM.nextBytes(raw);
            String token = HexFormat.of().formatHex(raw);

            PreparedStatement tok = conn.prepareStatement(
                    "INSERT INTO email_verifications (token, member_id, expires_at) VALUES (?, ?, ?)");
            tok.setString(1, token);
            tok.setLong(2, memberId);
            tok.setTimestamp(3, Timestamp.from(Instant.now().plus(48, ChronoUnit.HOURS)));
            tok.executeUpdate();

            Mailer.sendVerification(email, token);
        } catch (SQLException e) {
            throw new ServletException("registration failed", e);
        }
        resp.sendRedirect(req.getContextPath() + "/register/check-your-inbox");
    }
}
