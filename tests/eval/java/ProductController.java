package com.example.catalog;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

interface ProductRepository extends JpaRepository<Product, Long> {
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Product p where p.id = :id")
    Optional<Product> lockById(long id);
}

@RestController
@RequestMapping("/api/products")
public class ProductController {

    private final ProductRepository products;

    public ProductController(ProductRepository products) {
        this.products = products;
    }

    @GetMapping
    public Page<Product> list(Pageable pageable) {
        return products.findAll(pageable);
    }

    @PostMapping("/{id}/reserve")
    @Transactional
    public Product reserve(@PathVariable long id, @RequestParam int qty) {
        Product p = products.lockById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (p.getStock() < qty) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "not enough stock");
        }
        p.setStock(p.getStock() - qty);
        return products.save(p);
    }
}
