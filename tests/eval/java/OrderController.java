package com.example.orders;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api")
public class OrderController {

    private final OrderRepository orders;
    private final CustomerRepository customers;

    public OrderController(OrderRepository orders, CustomerRepository customers) {
        this.orders = orders;
        this.customers = customers;
    }

    @GetMapping("/orders")
    public Page<Order> list(@RequestParam(defaultValue = "0") int page) {
        return orders.findAll(PageRequest.of(page, 50, Sort.by("createdAt").descending()));
    }

    @GetMapping("/audit/orders")
    public List<Order> all() {
        return orders.findAll();
    }

    @GetMapping("/orders/with-customers")
    public List<OrderView> withCustomers(@RequestParam(defaultValue = "0") int page) {
        List<Order> recent = orders.findAll(PageRequest.of(page, 50)).getContent();
        return recent.stream()
                .map(o -> new OrderView(o, customers.findById(o.getCustomerId()).orElse(null)))
                .collect(Collectors.toList());
    }
}
