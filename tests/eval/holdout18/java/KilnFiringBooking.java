// is this safe if two potters hit "book" on the same kiln firing at the same moment?
@PostMapping("/kilns/{kilnId}/firings/{firingId}/book")
public ResponseEntity<Void> book(@PathVariable long kilnId, @PathVariable long firingId, Principal me) {
    int updated = jdbc.update(
            "UPDATE kiln_firings SET booked_by = ?, booked_at = now() " +
            "WHERE id = ? AND kiln_id = ? AND booked_by IS NULL AND status = 'OPEN'",
            me.getName(), firingId, kilnId);
    if (updated == 0) {
        // someone else got it first (or the firing was cancelled)
        return ResponseEntity.status(HttpStatus.CONFLICT).build();
    }
    return ResponseEntity.noContent().build();
}
