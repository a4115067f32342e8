//! Hand-made mutants of `jail/loyalty.rs`: each is the legacy routine with one subtle
//! change, the kind a refactoring slips in. `ALL` lists them with a description.

#![allow(clippy::all)]

/// A mutant's name, what was changed, and the changed function.
pub type Mutant = (&'static str, &'static str, fn(u32, &str, u8, u8) -> u32);

/// Every mutant.
pub const ALL: &[Mutant] = &[
    (
        "big_basket_from_one_cent_more",
        "off-by-one at a threshold: the big basket bonus needs one cent more",
        big_basket_from_one_cent_more,
    ),
    (
        "regulars_from_twenty_visits",
        "off-by-one at a threshold: 20 visits already count as a regular",
        regulars_from_twenty_visits,
    ),
    (
        "swapped_visit_comparison",
        "a swapped comparison: the frequent-visitor bonus goes to rare visitors",
        swapped_visit_comparison,
    ),
    (
        "bigger_basket_bonus",
        "a changed constant: the big basket bonus is 120 points",
        bigger_basket_bonus,
    ),
    (
        "no_clamp",
        "a removed clamp: points are no longer capped at 5000",
        no_clamp,
    ),
    (
        "golden_wednesday",
        "a changed constant in an exact match: golden tuesday moved to wednesday",
        golden_wednesday,
    ),
    (
        "lucky_fourteen",
        "a changed constant in an exact match: the lucky visit is the 14th",
        lucky_fourteen,
    ),
    (
        "staff_earn_points",
        "a removed guard: staff purchases earn points",
        staff_earn_points,
    ),
    (
        "silver_earns_a_third",
        "a changed constant: silver earns a third extra instead of a half",
        silver_earns_a_third,
    ),
    (
        "golden_tuesday_for_silver",
        "a widened condition: silver customers get golden tuesday too",
        golden_tuesday_for_silver,
    ),
];

/// Off-by-one at a threshold: the big basket bonus needs one cent more.
fn big_basket_from_one_cent_more(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    if spend_cents > 25000 {
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

/// Off-by-one at a threshold: 20 visits already count as a regular.
fn regulars_from_twenty_visits(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    if visits >= 20 {
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

/// A swapped comparison: the frequent-visitor bonus goes to rare visitors.
fn swapped_visit_comparison(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
        if visits <= 10 {
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

/// A changed constant: the big basket bonus is 120 points.
fn bigger_basket_bonus(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
        pts = pts + 120; // big basket bonus
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

/// A removed clamp: points are no longer capped at 5000.
fn no_clamp(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    pts
}

/// A changed constant in an exact match: golden tuesday moved to wednesday.
fn golden_wednesday(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    if weekday == 3 && tier == "GOLD" {
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

/// A changed constant in an exact match: the lucky visit is the 14th.
fn lucky_fourteen(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    if visits == 14 && tier == "SILVER" {
        pts = pts * 13 / 10; // "lucky 13" campaign, never switched off
    }
    if pts > 5000 {
        pts = 5000;
    }
    pts
}

/// A removed guard: staff purchases earn points.
fn staff_earn_points(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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

/// A changed constant: silver earns a third extra instead of a half.
fn silver_earns_a_third(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
    if tier == "STAFF" {
        return 0; // staff purchases never earn points (audit 2013)
    }
    let mut pts: u32 = spend_cents / 100;
    if tier == "GOLD" {
        pts = pts * 2;
    } else {
        if tier == "SILVER" {
            pts = pts + pts / 3;
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

/// A widened condition: silver customers get golden tuesday too.
fn golden_tuesday_for_silver(spend_cents: u32, tier: &str, visits: u8, weekday: u8) -> u32 {
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
    if weekday == 2 && (tier == "GOLD" || tier == "SILVER") {
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
