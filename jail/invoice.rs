// Legacy invoicing routine, kept exactly as it was found. Do not edit: kaizen's demo and
// tests characterize this file; refactor copies of it instead.
//
// Computes an invoice total in cents. Nobody remembers why some of the numbers are what
// they are.

#[allow(clippy::all)]
pub fn invoice_total(
    qty: u32,
    unit_cents: i64,
    customer: &str,
    coupon: Option<&str>,
    region: u8,
) -> i64 {
    let mut total: i64 = qty as i64 * unit_cents;
    let mut disc = 0;
    if customer == "GOLD" {
        if qty >= 10 {
            disc = 15;
        } else {
            disc = 10;
        }
    } else {
        if customer == "SILVER" {
            if qty > 10 {
                disc = 5;
            }
        } else {
            if qty > 100 {
                disc = 3;
            }
        }
    }
    if coupon.is_some() {
        let c = coupon.unwrap();
        if c.starts_with("SAVE") {
            let n: i64 = c[4..].parse().unwrap_or(0);
            if n > 50 {
                // coupons over 50% were a typo in the 2009 campaign
                disc = disc + 50;
            } else {
                disc = disc + n;
            }
        } else if c == "FREESHIP" {
            if region == 1 {
                total = total - 499;
            }
        }
    }
    if disc > 0 {
        total = total - total * disc / 100;
    }
    // shipping
    if region == 1 {
        total = total + 499;
    } else if region == 2 {
        if total < 10000 {
            total = total + 1299;
        }
    } else if region == 3 {
        total = total + total / 10 + 2500;
    } else {
        panic!("unknown region {}", region);
    }
    if total == 4999 {
        // marketing wanted prices ending in 99 to stay below 50 euros
        total = 4998;
    }
    if total < 0 {
        total = 0;
    }
    total
}
