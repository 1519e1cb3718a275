//! Prints each preset's seed figures (DOMAIN.md §3, issue 17) next to the
//! articles', with the tolerance and pass/fail, on the default seed and two
//! others: the README's calibration table is this output. Run:
//! `cargo run --release --example calibrate` (or `-- SEED...` for other seeds).
use shijing::sim::{calibration, presets, Market};

fn main() {
    let mut seeds: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if seeds.is_empty() {
        seeds = vec![20_211_111, 1, 2];
    }
    let mut head = String::from("| preset | figure | seed article | tolerance |");
    let mut rule = String::from("|---|---|---|---|");
    for s in &seeds {
        head += &format!(" seed {s} |");
        rule += "---|";
    }
    println!("{head}\n{rule}");
    let mut failures = 0;
    for p in presets() {
        let runs: Vec<Vec<calibration::Figure>> = seeds
            .iter()
            .map(|&seed| {
                let mut s = p.scenario.clone();
                s.seed = Some(seed);
                let market = Market::run(&s).expect("the preset runs");
                calibration::figures(p.id, market.result())
            })
            .collect();
        for (k, f) in runs[0].iter().enumerate() {
            let mut row = format!("| {} | {} | {} | {} |", p.id, f.name, f.seed, f.tolerance());
            for run in &runs {
                let g = &run[k];
                failures += usize::from(!g.pass());
                row += &format!(
                    " {} {} |",
                    g.unit.format(g.value),
                    if g.pass() { "✓" } else { "✗ FAIL" }
                );
            }
            println!("{row}");
        }
    }
    println!("\n{failures} figure(s) outside their tolerance.");
}
