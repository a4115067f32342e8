//! A strict little XML reader, enough to check that kaizen's JUnit report is well formed
//! and to look inside it: elements, double-quoted attributes, text, the five predefined
//! entities and numeric character references, one `<?xml ...?>` prolog.

/// An element with its attributes, child elements and text (entities decoded).
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements with this name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses a whole document; Err names what is wrong and where.
pub fn parse(doc: &str) -> Result<Element, String> {
    let mut rest = doc;
    if let Some(after) = rest.strip_prefix("<?xml") {
        let end = after.find("?>").ok_or("unterminated prolog")?;
        rest = &after[end + 2..];
    }
    rest = rest.trim_start();
    let (root, after) = element(rest)?;
    if !after.trim().is_empty() {
        return Err(format!("content after the root element: {after:?}"));
    }
    Ok(root)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

fn name(s: &str) -> Result<(&str, &str), String> {
    let end = s.find(|c| !is_name_char(c)).unwrap_or(s.len());
    if end == 0 {
        return Err(format!("expected a name at {:?}", head(s)));
    }
    Ok((&s[..end], &s[end..]))
}

fn head(s: &str) -> &str {
    &s[..s.char_indices().nth(40).map_or(s.len(), |(i, _)| i)]
}

/// Decodes the entities of text or an attribute value; a bare `<` or `&` is an error.
fn decode(raw: &str) -> Result<String, String> {
    if raw.contains('<') {
        return Err(format!("a bare `<` in {raw:?}"));
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..]
            .find(';')
            .ok_or_else(|| format!("a bare `&` in {raw:?}"))?;
        let entity = &rest[amp + 1..amp + end];
        out.push(match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = entity
                    .strip_prefix("#x")
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse))
                    .ok_or_else(|| format!("unknown entity &{entity};"))?
                    .map_err(|e| format!("bad character reference &{entity};: {e}"))?;
                char::from_u32(code).ok_or_else(|| format!("no character &{entity};"))?
            }
        });
        rest = &rest[amp + end + 1..];
    }
    out.push_str(rest);
    if out
        .chars()
        .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(format!(
            "a control character XML 1.0 cannot hold in {raw:?}"
        ));
    }
    Ok(out)
}

fn element(s: &str) -> Result<(Element, &str), String> {
    let s = s
        .strip_prefix('<')
        .ok_or_else(|| format!("expected `<` at {:?}", head(s)))?;
    let (tag, mut rest) = name(s)?;
    let mut node = Element {
        name: tag.to_string(),
        attributes: Vec::new(),
        children: Vec::new(),
        text: String::new(),
    };
    loop {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("/>") {
            return Ok((node, after));
        }
        if let Some(after) = trimmed.strip_prefix('>') {
            rest = after;
            break;
        }
        if trimmed.len() == rest.len() {
            return Err(format!("expected a space before {:?}", head(rest)));
        }
        let (attr, after) = name(trimmed)?;
        let after = after
            .strip_prefix("=\"")
            .ok_or_else(|| format!("attribute {attr} needs =\"...\""))?;
        let end = after.find('"').ok_or("unterminated attribute")?;
        if node.attributes.iter().any(|(n, _)| n == attr) {
            return Err(format!("attribute {attr} twice on <{tag}>"));
        }
        node.attributes
            .push((attr.to_string(), decode(&after[..end])?));
        rest = &after[end + 1..];
    }
    loop {
        let lt = rest
            .find('<')
            .ok_or_else(|| format!("<{tag}> is never closed"))?;
        node.text.push_str(&decode(&rest[..lt])?);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("</") {
            let (closing, after) = name(after)?;
            if closing != tag {
                return Err(format!("<{tag}> closed by </{closing}>"));
            }
            let after = after.trim_start().strip_prefix('>').ok_or("expected `>`")?;
            return Ok((node, after));
        }
        let (child, after) = element(rest)?;
        node.children.push(child);
        rest = after;
    }
}

#[test]
fn the_xml_reader_rejects_what_is_not_well_formed() {
    assert!(parse("<a><b/></a>").is_ok());
    assert_eq!(
        parse("<a x=\"1 &amp; 2\">t&lt;</a>").unwrap().attr("x"),
        Some("1 & 2")
    );
    for bad in [
        "<a><b></a>",
        "<a>x & y</a>",
        "<a x=1/>",
        "<a></a><b/>",
        "<a>\u{1}</a>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}
