package com.streeteats.web;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Order throttling - max 20 order calls/minute per client.
 * NOTE: prod is 4 tomcat nodes behind the nginx LB (see ops/nginx/streeteats.conf)
 */
@Component
class OrderThrottleFilter extends OncePerRequestFilter {

    private static final int LIMIT = 20;
    private static final Map<String, long[]> WINDOWS = new HashMap<String, long[]>();

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws ServletException, IOException {
        if (!req.getRequestURI().startsWith("/orders")) {
            chain.doFilter(req, resp);
            return;
        }
        String ip = req.getHeader("X-Forwarded-For");
        if (ip == null) ip = req.getRemoteAddr();
        long now = System.currentTimeMillis();
        synchronized (WINDOWS) {
            long[] w = WINDOWS.get(ip);
            if (w == null || now - w[0] > 60000) {
                w = new long[] { now, 0 };
                WINDOWS.put(ip, w);
            }
            if (++w[1] > LIMIT) {
                resp.sendError(429, "slow down");
                return;
            }
        }
        chain.doFilter(req, resp);
    }
}

@Controller
@RequestMapping("/orders")
public class TruckOrderController {

    @Autowired
    JdbcTemplate jdbc;

    // cart lives 15 min, then the customer has to start over
    @RequestMapping(value = "/cart", method = RequestMethod.POST)
    @ResponseBody
    public Map<String, Object> newCart(@RequestParam long truckId, @RequestParam String phone) {
        Timestamp exp = new Timestamp(System.currentTimeMillis() + 15 * 60 * 1000);
        String token = java.util.UUID.randomUUID().toString();
        jdbc.update("insert into carts (token, truck_id, phone, expires_at) values (?, ?, ?, ?)",
                token, truckId, phone, exp);
        Map<String, Object> m = new HashMap<String, Object>();
        m.put("cart", token);
        m.put("expires", exp);
        return m;
    }

    @RequestMapping(value = "/cart/{token}/items", method = RequestMethod.POST)
    @ResponseBody
    public String addItem(@PathVariable String token, @RequestParam long menuItemId, @RequestParam int qty) {
        List<Long> ids = jdbc.queryForList(
                "select id from carts where token = ? and expires_at > now()", Long.class, token);
        if (ids.isEmpty()) return "expired";
        jdbc.update("insert into cart_items (cart_id, menu_item_id, qty) values (?, ?, ?)",
                ids.get(0), menuItemId, qty);
        return "ok";
    }

    @RequestMapping(value = "/cart/{token}/submit", method = RequestMethod.POST)
    @ResponseBody
    public String submit(@PathVariable String token) {
        int n = jdbc.update("update carts set submitted_at = now() where token = ? and expires_at > now() and submitted_at is null", token);
        return n == 1 ? "submitted" : "expired";
    }
}
