package com.shopfront.catalog.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import lombok.RequiredArgsConstructor;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.server.ResponseStatusException;

import com.shopfront.catalog.domain.CategoryRepository;
import com.shopfront.catalog.domain.Product;
import com.shopfront.catalog.domain.ProductRepository;
import com.shopfront.catalog.dto.CategoryNode;
import com.shopfront.catalog.dto.ProductDetailDto;
import com.shopfront.catalog.dto.ProductSummaryDto;
import com.shopfront.security.ShopUser;

/**
 * Public catalog endpoints used by the storefront (web + mobile).
 * Caches are Caffeine-backed, see CatalogCacheConfig.
 */
@RestController
@RequestMapping("/api/catalog")
@RequiredArgsConstructor
public class CatalogController {

    private static final int MAX_PAGE_SIZE = 100;

    // product detail pages are hit a lot, keep the rendered DTOs around
    private static final Map<String, ProductDetailDto> DETAIL_CACHE = new ConcurrentHashMap<>();

    private final ProductRepository products;
    private final CategoryRepository categories;

    /** Category tree for the navigation menu. Changes a few times per week. */
    @GetMapping("/categories/tree")
    @Cacheable(cacheNames = "categoryTree", key = "#user.id")
    public List<CategoryNode> categoryTree(@AuthenticationPrincipal ShopUser user) {
        return CategoryNode.buildTree(categories.findAllByActiveTrueOrderByPositionAsc());
    }

    @GetMapping("/products")
    public Page<ProductSummaryDto> search(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) Long categoryId,
            @PageableDefault(size = 24, sort = "popularity", direction = Sort.Direction.DESC) Pageable pageable) {
        Pageable capped = PageRequest.of(pageable.getPageNumber(),
                Math.min(pageable.getPageSize(), MAX_PAGE_SIZE), pageable.getSort());
        return products.search(q, categoryId, capped).map(ProductSummaryDto::from);
    }

    @GetMapping("/products/{slug}")
    public ProductDetailDto product(@PathVariable String slug, Locale locale) {
        String key = slug + ":" + locale.toLanguageTag();
        return DETAIL_CACHE.computeIfAbsent(key, k -> {
            Product p = products.findBySlugWithImagesAndVariants(slug)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
            return ProductDetailDto.from(p, locale);
        });
    }

    /** "You may also like" strip: ids come precomputed from the recommendations table. */
    @GetMapping("/products/{id}/related")
    public List<ProductSummaryDto> related(@PathVariable long id) {
        List<Long> relatedIds = products.findRelatedIds(id, 12);
        // one IN (...) query for all of them
        return products.findAllById(relatedIds).stream()
                .filter(Product::isPublished)
                .map(ProductSummaryDto::from)
                .toList();
    }
}
