package com.example.shop.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

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
        List<Order> pageOrders = orders.findAll(pageRequest).getContent();
        // One query for all the page's customers: WHERE id IN (…).
        var ids = pageOrders.stream().map(Order::getCustomerId).distinct().toList();
        Map<Long, Customer> byId = customers.findAllById(ids).stream()
                .collect(Collectors.toMap(Customer::getId, Function.identity()));
        return pageOrders.stream()
                .map(order -> {
                    Customer customer = byId.get(order.getCustomerId());
                    return new OrderRow(order.getId(), customer.getName(), customer.getEmail(),
                            order.getTotal(), order.getStatus());
                })
                .toList();
    }
}
