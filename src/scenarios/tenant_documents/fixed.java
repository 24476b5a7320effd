package com.acme.kb.web;

import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/documents")
public class DocumentController {
    private static final int PAGE_SIZE = 20;
    private final DocumentRepository documentRepository;

    public DocumentController(DocumentRepository documentRepository) {
        this.documentRepository = documentRepository;
    }

    @GetMapping
    public List<DocumentSummary> recent(@AuthenticationPrincipal AppUser user) {
        return documentRepository.findByWorkspaceIdOrderByUpdatedAtDesc(
            user.getWorkspaceId(), PageRequest.of(0, PAGE_SIZE));
    }

    @GetMapping("/by-category/{category}")
    public List<DocumentSummary> byCategory(@AuthenticationPrincipal AppUser user,
                                            @PathVariable String category,
                                            @RequestParam(defaultValue = "0") int page) {
        return documentRepository.findByWorkspaceIdAndCategory(
            user.getWorkspaceId(), category, PageRequest.of(page, PAGE_SIZE, Sort.by("updatedAt").descending()));
    }
}
