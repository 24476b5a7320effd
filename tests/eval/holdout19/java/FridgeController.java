package org.sharefridge.web;

import java.util.List;
import java.util.Map;

import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

@Entity
@Table(name = "fridge_items")
class FridgeItem {
    @Id Long id;
    Long fridgeId;
    String label;
    int qty;
    public int getQty() { return qty; }
    public void setQty(int q) { qty = q; }
}

interface FridgeItemRepo extends JpaRepository<FridgeItem, Long> {
    List<FridgeItem> findByFridgeIdAndQtyGreaterThan(Long fridgeId, int qty);
}

@RestController
public class FridgeController {

    @Autowired FridgeItemRepo repo;
    @Autowired JdbcTemplate jdbc;

    @GetMapping("/fridges/{fridgeId}/items")
    public List<FridgeItem> items(@PathVariable Long fridgeId) {
        return repo.findByFridgeIdAndQtyGreaterThan(fridgeId, 0);
    }

    // volunteers + QR code on the fridge door both hit this
    @PostMapping("/fridges/{fridgeId}/items/{itemId}/take")
    public ResponseEntity take(@PathVariable Long fridgeId, @PathVariable Long itemId, @RequestParam int qty) {
        try {
            FridgeItem it = repo.findById(itemId).get();
            if (it.getQty() < qty) return ResponseEntity.badRequest().body("only " + it.getQty() + " left");
            it.setQty(it.getQty() - qty);
            repo.save(it);
            jdbc.update("insert into fridge_log(fridge_id,item_id,delta,created_at) values (?,?,?,now())",
                    fridgeId, itemId, -qty);
            return ResponseEntity.ok(it);
        } catch (Exception e) {
            return ResponseEntity.ok().build();
        }
    }

    @PostMapping("/fridges/{fridgeId}/items/{itemId}/restock")
    public ResponseEntity restock(@PathVariable Long fridgeId, @PathVariable Long itemId, @RequestParam int qty) {
        jdbc.update("update fridge_items set qty = qty + ? where id = ? and fridge_id = ?", qty, itemId, fridgeId);
        jdbc.update("insert into fridge_log(fridge_id,item_id,delta,created_at) values (?,?,?,now())",
                fridgeId, itemId, qty);
        return ResponseEntity.ok().build();
    }

    // admin page: full activity log
    @GetMapping("/admin/log")
    public List<Map<String, Object>> log() {
        return jdbc.queryForList("select l.*, i.label from fridge_log l join fridge_items i on i.id = l.item_id order by l.created_at desc");
    }
}
