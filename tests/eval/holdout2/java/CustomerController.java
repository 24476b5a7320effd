package com.example.crm;

import java.util.List;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/customers")
public class CustomerController {

    private final CustomerRepository customers;
    private final NoteRepository notes;

    public CustomerController(CustomerRepository customers, NoteRepository notes) {
        this.customers = customers;
        this.notes = notes;
    }

    @GetMapping
    public List<Customer> all() {
        return customers.findAll();
    }

    @GetMapping("/{id}/notes")
    public List<Note> notes(@PathVariable long id) {
        return notes.findTop50ByCustomerIdOrderByCreatedAtDesc(id);
    }
}
