//! Hand-made mutants of the legacy till in `jail/till.rs`: one copy of the till that, built
//! with a `Mutant`, makes exactly that one subtle change, the kind a refactoring slips in.
//! `ALL` lists them with a description.

#![allow(clippy::all)]

/// One subtle change to the till.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutant {
    ApplesFromFour,
    OutletDiscountOnWine,
    Save10FromOneCentMore,
    FreemilkCheaper,
    Wine5ForOneBottle,
    LaterCouponReplaces,
    VoidDropsCoupon,
    BagFeeFromSeventhLine,
    MilkOneCentCheaper,
    UnknownItemAddsLine,
}

/// Every mutant, with what it changes.
pub const ALL: &[(Mutant, &str)] = &[
    (
        Mutant::ApplesFromFour,
        "off-by-one: three-for-a-euro needs four apples",
    ),
    (
        Mutant::OutletDiscountOnWine,
        "a removed guard: the outlet discount applies to wine",
    ),
    (
        Mutant::Save10FromOneCentMore,
        "off-by-one: SAVE10 needs one cent more than 20 euros",
    ),
    (
        Mutant::FreemilkCheaper,
        "a changed rule: FREEMILK takes the unit price before the outlet discount",
    ),
    (
        Mutant::Wine5ForOneBottle,
        "a widened condition: WINE5 for a single bottle",
    ),
    (
        Mutant::LaterCouponReplaces,
        "an order rule lost: a later coupon replaces the first",
    ),
    (
        Mutant::VoidDropsCoupon,
        "an order rule changed: voiding a line drops the coupon",
    ),
    (
        Mutant::BagFeeFromSeventhLine,
        "off-by-one: the bag fee from the seventh line",
    ),
    (
        Mutant::MilkOneCentCheaper,
        "a changed constant: milk costs 128",
    ),
    (
        Mutant::UnknownItemAddsLine,
        "a changed rule: an unknown item adds a free line",
    ),
];

pub struct Till {
    mutant: Mutant,
    outlet: bool,
    lines: Vec<(String, u32, u32)>,
    coupon: Option<String>,
    coupon_cents: u32,
}

impl Till {
    pub fn new(store: &str, mutant: Mutant) -> Till {
        Till {
            mutant,
            outlet: store == "OUTLET",
            lines: Vec::new(),
            coupon: None,
            coupon_cents: 0,
        }
    }

    fn is(&self, m: Mutant) -> bool {
        self.mutant == m
    }

    fn unit_price(&self, sku: &str) -> Option<u32> {
        match sku {
            "APPLE" => Some(40),
            "MILK" if self.is(Mutant::MilkOneCentCheaper) => Some(128),
            "MILK" => Some(129),
            "BREAD" => Some(249),
            "WINE" => Some(899),
            _ => None,
        }
    }

    pub fn scan(&mut self, sku: &str, qty: u8) -> u32 {
        let Some(unit) = self.unit_price(sku) else {
            if self.is(Mutant::UnknownItemAddsLine) {
                self.lines.push((sku.to_string(), u32::from(qty), 0));
            }
            return 0;
        };
        let qty = u32::from(qty);
        let mut price = unit * qty;
        let bundle = if self.is(Mutant::ApplesFromFour) {
            4
        } else {
            3
        };
        if sku == "APPLE" && qty >= bundle {
            price = (qty / 3) * 100 + (qty % 3) * unit;
        }
        if self.outlet && (sku != "WINE" || self.is(Mutant::OutletDiscountOnWine)) {
            price = price * 95 / 100;
        }
        self.lines.push((sku.to_string(), qty, price));
        price
    }

    pub fn coupon(&mut self, code: &str) -> bool {
        if self.coupon.is_some() && !self.is(Mutant::LaterCouponReplaces) {
            return false;
        }
        let subtotal = self.subtotal();
        let save10_from = if self.is(Mutant::Save10FromOneCentMore) {
            2001
        } else {
            2000
        };
        let bottles = if self.is(Mutant::Wine5ForOneBottle) {
            0
        } else {
            1
        };
        let cents = match code {
            "SAVE10" if subtotal >= save10_from => subtotal / 10,
            "FREEMILK" => match self.lines.iter().find(|l| l.0 == "MILK") {
                Some(_) if self.is(Mutant::FreemilkCheaper) => 129,
                Some(line) => line.2 / line.1.max(1),
                None => return false,
            },
            "WINE5" if self.lines.iter().any(|l| l.0 == "WINE" && l.1 > bottles) => 500,
            _ => return false,
        };
        self.coupon = Some(code.to_string());
        self.coupon_cents = cents;
        true
    }

    pub fn void_last(&mut self) -> String {
        if self.is(Mutant::VoidDropsCoupon) {
            self.coupon = None;
            self.coupon_cents = 0;
        }
        self.lines.pop().expect("nothing to void").0
    }

    fn subtotal(&self) -> u32 {
        self.lines.iter().map(|l| l.2).sum()
    }

    pub fn total(&self) -> u32 {
        let mut total = self.subtotal().saturating_sub(self.coupon_cents);
        let bag_from = if self.is(Mutant::BagFeeFromSeventhLine) {
            7
        } else {
            8
        };
        if self.lines.len() >= bag_from {
            total += 10;
        }
        total
    }
}
