// A refactored version of jail/invoice.rs, reached in small steps, each verified by kaizen
// against snapshots/invoice_total.snap. It must behave exactly like the original,
// including its quirks.

/// Discount percentage from the customer tier.
fn tier_discount(customer: &str, qty: u32) -> i64 {
    match customer {
        "GOLD" if qty >= 10 => 15,
        "GOLD" => 10,
        "SILVER" if qty > 10 => 5,
        "SILVER" => 0,
        _ if qty > 100 => 3,
        _ => 0,
    }
}

/// Extra discount percentage from a `SAVEnn` coupon; coupons over 50% count as 50%.
fn coupon_discount(coupon: &str) -> i64 {
    match coupon.strip_prefix("SAVE") {
        Some(n) => n.parse::<i64>().unwrap_or(0).min(50),
        None => 0,
    }
}

/// The goods total plus shipping for a region (which may depend on the goods total).
fn with_shipping(region: u8, goods: i64) -> i64 {
    match region {
        1 => goods + 499,
        2 if goods < 10_000 => goods + 1299,
        2 => goods,
        3 => goods + goods / 10 + 2500,
        _ => panic!("unknown region {region}"),
    }
}

pub fn invoice_total(
    qty: u32,
    unit_cents: i64,
    customer: &str,
    coupon: Option<&str>,
    region: u8,
) -> i64 {
    let mut goods = i64::from(qty) * unit_cents;
    let coupon = coupon.unwrap_or("");
    if coupon == "FREESHIP" && region == 1 {
        goods -= 499;
    }
    let discount = tier_discount(customer, qty) + coupon_discount(coupon);
    if discount > 0 {
        goods -= goods * discount / 100;
    }
    let total = with_shipping(region, goods);
    let total = if total == 4999 { 4998 } else { total };
    total.max(0)
}
