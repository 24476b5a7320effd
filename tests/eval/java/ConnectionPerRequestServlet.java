package com.example.legacy;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

@WebServlet("/legacy/price")
public class ConnectionPerRequestServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sku = req.getParameter("sku");
        try (Connection conn = DriverManager.getConnection(System.getenv("JDBC_URL"), "app", System.getenv("DB_PASSWORD"));
             PreparedStatement ps = conn.prepareStatement("SELECT price_cents FROM prices WHERE sku = ?")) {
            ps.setString(1, sku);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    resp.sendError(404);
                    return;
                }
                resp.getWriter().print(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
