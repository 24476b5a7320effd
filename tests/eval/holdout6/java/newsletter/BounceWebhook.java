    // Postmark bounce webhook. Postmark retries on non-2xx, so dedupe on the bounce ID.
    @PostMapping("/hooks/postmark/bounce")
    @Transactional
    public ResponseEntity<Void> onBounce(@RequestBody PostmarkBounce bounce,
                                         @RequestHeader("X-Hook-Token") String token) {
        if (!MessageDigest.isEqual(token.getBytes(UTF_8), hookToken.getBytes(UTF_8))) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        int fresh = jdbc.update(
            "INSERT INTO processed_webhook_events (provider, event_id) VALUES ('postmark', ?) ON CONFLICT DO NOTHING",
            String.valueOf(bounce.id()));
        if (fresh == 0) {
            return ResponseEntity.ok().build();   // already handled
        }
        try {
            if (bounce.isHardBounce()) {
                jdbc.update("INSERT INTO suppressions (email, reason, created_at) VALUES (lower(?), ?, now()) "
                          + "ON CONFLICT (email) DO NOTHING", bounce.email(), bounce.type());
            }
            jdbc.update("UPDATE campaign_stats SET bounces = bounces + 1 WHERE message_stream = ? AND campaign_id = ?",
                        bounce.messageStream(), bounce.tag());
        } catch (DataAccessException e) {
            log.error("bounce {} for {} failed", bounce.id(), bounce.email(), e);
            throw e;   // rolls back the dedupe row too, Postmark will retry
        }
        return ResponseEntity.ok().build();
    }
