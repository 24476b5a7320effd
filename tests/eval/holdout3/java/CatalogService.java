package com.brightcart.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read side of the storefront catalog.
 * Spring cache is backed by Redis (see CacheConfig), category tree lives in a local Caffeine cache.
 */
@Service
@Transactional(readOnly = true)
public class CatalogService {

    private final ProductRepository products;
    private final JdbcTemplate jdbc;

    private final Cache<String, CategoryTree> categoryTrees = Caffeine.newBuilder()
            .maximumSize(64)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public CatalogService(ProductRepository products, JdbcTemplate jdbc) {
        this.products = products;
        this.jdbc = jdbc;
    }

    /**
     * Featured products shown on the home page carousel.
     * Same merchandising list for every shopper, curated in the back office.
     */
    @Cacheable(cacheNames = "featured", key = "#userId + ':' + #locale.toLanguageTag()")
    public List<ProductCard> featuredProducts(Long userId, Locale locale) {
        return products.findFeatured(locale.toLanguageTag(), PageRequest.of(0, 24))
                .map(ProductCard::from)
                .getContent();
    }

    /**
     * Full category tree with product counts for the mega-menu.
     * Building it walks ~4k categories with a recursive CTE and counts products per node,
     * takes 2-3 s on the prod replica.
     */
    public CategoryTree categoryTree(Locale locale) {
        String key = locale.toLanguageTag();
        CategoryTree tree = categoryTrees.getIfPresent(key);
        if (tree == null) {
            tree = buildCategoryTree(key);
            categoryTrees.put(key, tree);
        }
        return tree;
    }

    private CategoryTree buildCategoryTree(String languageTag) {
        List<CategoryNode> rows = jdbc.query("""
                WITH RECURSIVE tree AS (
                    SELECT c.id, c.parent_id, ct.name, 0 AS depth
                      FROM categories c
                      JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = ?
                     WHERE c.parent_id IS NULL
                    UNION ALL
                    SELECT c.id, c.parent_id, ct.name, tree.depth + 1
                      FROM categories c
                      JOIN category_translations ct ON ct.category_id = c.id AND ct.lang = ?
                      JOIN tree ON c.parent_id = tree.id
                )
                SELECT tree.*, (SELECT COUNT(*) FROM product_categories pc
                                 JOIN products p ON p.id = pc.product_id AND p.active
                                WHERE pc.category_id = tree.id) AS product_count
                  FROM tree
                 ORDER BY depth, name
                """, CategoryNode.MAPPER, languageTag, languageTag);
        return CategoryTree.fromRows(rows);
    }

    public ProductDetails productDetails(String slug, Locale locale) {
        return products.findBySlugAndActiveTrue(slug)
                .map(p -> ProductDetails.from(p, locale))
                .orElseThrow(() -> new ProductNotFoundException(slug));
