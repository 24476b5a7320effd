package com.example.reports;

import java.util.List;
import java.util.Map;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@Service
class ReportService {

    private final JdbcTemplate jdbc;

    ReportService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Map<String, Object>> revenueByProduct() {
        return jdbc.queryForList("""
                SELECT p.sku, p.name, SUM(oi.quantity * oi.unit_price) AS revenue, COUNT(DISTINCT oi.order_id) AS orders
                FROM order_items oi
                JOIN products p ON p.id = oi.product_id
                GROUP BY p.sku, p.name
                ORDER BY revenue DESC
                """);
    }

    @Cacheable(value = "category-revenue", sync = true)
    public List<Map<String, Object>> revenueByCategory() {
        return jdbc.queryForList("""
                SELECT c.name, SUM(oi.quantity * oi.unit_price) AS revenue
                FROM order_items oi
                JOIN products p ON p.id = oi.product_id
                JOIN categories c ON c.id = p.category_id
                GROUP BY c.name
                """);
    }
}

@RestController
class ReportController {

    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping("/admin/reports/products")
    List<Map<String, Object>> products() {
        return reports.revenueByProduct();
    }

    @GetMapping("/admin/reports/categories")
    List<Map<String, Object>> categories() {
        return reports.revenueByCategory();
    }
}
