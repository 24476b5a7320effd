package com.example.shop.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/orders")
public class OrderListController {

    private final OrderRepository orders;
    private final CustomerRepository customers;

    public OrderListController(OrderRepository orders, CustomerRepository customers) {
        this.orders = orders;
        this.customers = customers;
    }

    @GetMapping
    public List<OrderRow> list(@RequestParam(defaultValue = "0") int page) {
        var pageRequest = PageRequest.of(page, 100, Sort.by("createdAt").descending());
        List<OrderRow> rows = new ArrayList<>();
        for (Order order : orders.findAll(pageRequest)) {
            Customer customer = customers.findById(order.getCustomerId()).orElseThrow();
            rows.add(new OrderRow(order.getId(), customer.getName(), customer.getEmail(),
                    order.getTotal(), order.getStatus()));
        }
        return rows;
    }
}
