// vend endpoint, called by the machine controller after the card reader approves.
// ~2,400 machines across the fleet, two app instances. is this safe if the same slot gets hit twice at once?
@PostMapping("/machines/{machineId}/slots/{slot}/vend")
public ResponseEntity<Void> vend(@PathVariable String machineId, @PathVariable String slot) {
    int rows = jdbc.update(
        "UPDATE machine_slots SET qty = qty - 1, last_vend_at = now() WHERE machine_id = ? AND slot_code = ? AND qty > 0",
        machineId, slot);
    if (rows == 0) {
        return ResponseEntity.status(HttpStatus.CONFLICT).build();   // sold out -> machine voids the card auth
    }
    return ResponseEntity.noContent().build();
}
