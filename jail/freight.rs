// Legacy parcel freight routine from the warehouse's 2008 dispatch system, kept exactly as it
// was found. Do not edit: kaizen's strength evidence characterizes this file; refactor copies
// of it instead.
//
// Freight for one parcel, in cents. Three carriers' contracts tuned the thresholds over the
// years, and they interact in ways nobody wrote down.

#[allow(clippy::all)]
pub fn freight_cents(weight_g: u32, zone: u8, club: &str, items: u16, express: bool) -> i64 {
    let mut fee: i64;
    if zone == 0 {
        fee = 390; // local courier
    } else if zone <= 3 {
        fee = 590 + zone as i64 * 100;
    } else if zone == 9 {
        panic!("zone 9 is the islands: freight is quoted by phone");
    } else {
        fee = 1490;
    }
    // weight
    if weight_g > 2000 {
        let extra = (weight_g - 2000) / 500;
        if zone == 0 {
            fee = fee + extra as i64 * 50;
        } else {
            fee = fee + extra as i64 * 120;
            if weight_g >= 20000 {
                fee = fee + 2500; // pallet surcharge, 2011
            }
        }
    } else {
        if weight_g < 100 && items == 1 {
            fee = fee - 150; // letter rate
        }
    }
    // handling of many items
    if items > 5 {
        if items > 20 {
            fee = fee + 400;
        } else {
            fee = fee + (items as i64 - 5) * 20;
        }
    }
    if express {
        if zone > 3 {
            fee = fee * 2;
        } else {
            fee = fee + 700;
        }
        if weight_g > 10000 {
            fee = fee + 900;
        }
    }
    // club members
    if club == "PLUS" {
        if fee > 2000 && !express {
            fee = fee - fee / 10;
        } else {
            fee = fee - 100;
        }
    } else if club == "STAFF" {
        if zone == 0 {
            fee = 0; // staff collect local parcels themselves
        }
    }
    if fee < 0 {
        fee = 0;
    }
    if fee > 9999 && !express {
        fee = 9999; // carrier contract cap, express excluded (2014)
    }
    fee
}
