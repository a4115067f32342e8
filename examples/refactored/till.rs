// A refactoring of the legacy till in `jail/till.rs` with one slip: the bag fee is charged
// from the seventh line on instead of the eighth. `examples/stateful.rs` shows how kaizen
// names the first step where this changes behaviour.

pub struct Till {
    outlet: bool,
    lines: Vec<(String, u32, u32)>, // item, quantity, price
    coupon: Option<String>,
    coupon_cents: u32,
}

fn unit_price(sku: &str) -> Option<u32> {
    match sku {
        "APPLE" => Some(40),
        "MILK" => Some(129),
        "BREAD" => Some(249),
        "WINE" => Some(899),
        _ => None,
    }
}

impl Till {
    pub fn new(store: &str) -> Till {
        Till {
            outlet: store == "OUTLET",
            lines: Vec::new(),
            coupon: None,
            coupon_cents: 0,
        }
    }

    /// Scans `qty` of an item; returns the line's price in cents (0 for an unknown item,
    /// which is not added).
    pub fn scan(&mut self, sku: &str, qty: u8) -> u32 {
        let Some(unit) = unit_price(sku) else {
            return 0;
        };
        let qty = u32::from(qty);
        let mut price = unit * qty;
        if sku == "APPLE" && qty >= 3 {
            price = (qty / 3) * 100 + (qty % 3) * unit; // three for a euro
        }
        if self.outlet && sku != "WINE" {
            price = price * 95 / 100;
        }
        self.lines.push((sku.to_string(), qty, price));
        price
    }

    /// Takes a coupon, judged on the basket as it is now. Only the first accepted coupon
    /// counts.
    pub fn coupon(&mut self, code: &str) -> bool {
        if self.coupon.is_some() {
            return false;
        }
        let subtotal = self.subtotal();
        let cents = match code {
            "SAVE10" if subtotal >= 2000 => subtotal / 10,
            "FREEMILK" => match self.lines.iter().find(|l| l.0 == "MILK") {
                Some(line) => line.2 / line.1.max(1),
                None => return false,
            },
            "WINE5" if self.lines.iter().any(|l| l.0 == "WINE" && l.1 > 1) => 500,
            _ => return false,
        };
        self.coupon = Some(code.to_string());
        self.coupon_cents = cents;
        true
    }

    /// Takes the last scanned line off again and names it. The coupon stays.
    pub fn void_last(&mut self) -> String {
        self.lines.pop().expect("nothing to void").0
    }

    fn subtotal(&self) -> u32 {
        self.lines.iter().map(|l| l.2).sum()
    }

    /// What the customer pays: the subtotal less the coupon (never below zero), plus a
    /// bag fee from the eighth line on.
    pub fn total(&self) -> u32 {
        let mut total = self.subtotal().saturating_sub(self.coupon_cents);
        if self.lines.len() >= 7 {
            total += 10;
        }
        total
    }
}
