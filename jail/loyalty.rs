// Legacy loyalty-points routine from the shop's 2011 till software, kept exactly as it was
// found. Do not edit: kaizen's tests use it as the live oracle; refactor copies of it instead.
//
// Points earned by one purchase. Marketing changed the rules every spring and nobody ever
// removed the old ones.

#[allow(clippy::all)]
pub fn loyalty_points(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
    if tier == "STAFF" {
        return 0; // staff purchases never earn points (audit 2013)
    }
    let mut pts: u32 = spend_cents / 100;
    if tier == "GOLD" {
        pts = pts * 2;
    } else {
        if tier == "SILVER" {
            pts = pts + pts / 2;
        }
    }
    if spend_cents >= 25000 {
        pts = pts + 100; // big basket bonus
    }
    if visits > 20 {
        pts = pts + 50;
    } else {
        if visits >= 10 {
            pts = pts + 20;
        }
    }
    if weekday == 2 && tier == "GOLD" {
        pts = pts + 30; // "golden tuesday", 2012
    }
    if visits == 13 && tier == "SILVER" {
        pts = pts * 13 / 10; // "lucky 13" campaign, never switched off
    }
    if pts > 5000 {
        pts = 5000;
    }
    pts
}
