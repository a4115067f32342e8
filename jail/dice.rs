// Legacy dice scoring from a board-game club's scorekeeper, kept exactly as it was found.
// Do not edit: kaizen's tests characterize it; refactor copies of it instead.
//
// Points for one roll of four dice. Nothing checks the faces: every caller "knows" a die
// shows 1 to 6, and a die outside that range indexes outside the table of counts.

#[allow(clippy::all)]
pub fn score(a: i32, b: i32, c: i32, d: i32) -> i32 {
    let dice = [a, b, c, d];
    let mut counts = [0; 6];
    for die in dice {
        counts[(die - 1) as usize] += 1;
    }
    let total = a + b + c + d;
    let mut most = 0;
    let mut face = 0;
    for i in 0..6 {
        if counts[i] >= most {
            most = counts[i];
            face = i as i32 + 1;
        }
    }
    if most == 4 {
        return 50; // four of a kind
    }
    let mut run = 0;
    let mut longest = 0;
    for i in 0..6 {
        if counts[i] > 0 {
            run = run + 1;
            if run > longest {
                longest = run;
            }
        } else {
            run = 0;
        }
    }
    if longest == 4 {
        return 30; // straight
    }
    if most == 3 {
        return 10 + 3 * face;
    }
    let mut pairs = 0;
    for i in 0..6 {
        if counts[i] == 2 {
            pairs = pairs + 1;
        }
    }
    if pairs == 2 {
        return total + 5;
    }
    if pairs == 1 && total >= 15 {
        return total;
    }
    if total > 20 { total - 10 } else { 0 }
}
