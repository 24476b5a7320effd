//! Prints the seat-booking load sweep for a few seeds (used to calibrate the defaults).
fn main() {
    for seed in [42u64, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9] {
        let s = hazard_lab::sim::race::RaceSettings {
            seed,
            ..Default::default()
        };
        let sw = hazard_lab::sim::race::sweep(&s);
        let cells: Vec<String> = sw
            .naive
            .iter()
            .zip(&sw.fixed)
            .map(|(n, f)| {
                format!(
                    "{}:{}/{}/{}ms",
                    n.clients,
                    n.double_bookings,
                    f.double_bookings,
                    n.p99_us / 1000
                )
            })
            .collect();
        println!("seed {seed:>2}  {}", cells.join("  "));
    }
}
