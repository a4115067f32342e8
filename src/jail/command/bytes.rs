//! [`Data`]: bytes that read as text in YAML whenever they can.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes fed to or produced by a program: stdin, stdout, stderr or a file.
///
/// In YAML, bytes that are ordinary UTF-8 text serialize as a plain string.
/// Anything else (invalid UTF-8, or characters that YAML cannot carry
/// unchanged) serializes as a one-key mapping `{bytes: "..."}` whose string
/// is the text with every awkward byte written as `\xNN` and every backslash
/// doubled (`\\`). Line endings (`\n`, `\r\n`, a lone `\r`) are kept exactly
/// in both forms; the round trip is byte for byte.
///
/// ```
/// use kaizen::jail::command::Data;
/// let data = Data::from(b"caf\xe9\r\n".to_vec());
/// assert_eq!(data.escaped(), "caf\\xe9\r\n");
/// let yaml = serde_yaml::to_string(&data).unwrap();
/// let back: Data = serde_yaml::from_str(&yaml).unwrap();
/// assert_eq!(back, data);
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Data(Vec<u8>);

impl Data {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Data(bytes.into())
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the value and returns the raw bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bytes as text when they serialize as a plain YAML string.
    pub fn as_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.0)
            .ok()
            .filter(|text| text.chars().all(is_plain_char))
    }

    /// A readable rendering for reports and diffs: the text itself when the
    /// bytes are plain text, otherwise the escaped form (see [`Data::escaped`]).
    pub fn display(&self) -> Cow<'_, str> {
        match self.as_text() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.escaped()),
        }
    }

    /// The escaped form used under `bytes:`: valid, plain characters are
    /// kept, a backslash becomes `\\`, and every other byte becomes `\xNN`
    /// (two lowercase hex digits).
    pub fn escaped(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for chunk in self.0.utf8_chunks() {
            for ch in chunk.valid().chars() {
                if ch == '\\' {
                    out.push_str("\\\\");
                } else if is_plain_char(ch) {
                    out.push(ch);
                } else {
                    let mut buf = [0u8; 4];
                    for byte in ch.encode_utf8(&mut buf).bytes() {
                        push_hex(&mut out, byte);
                    }
                }
            }
            for &byte in chunk.invalid() {
                push_hex(&mut out, byte);
            }
        }
        out
    }

    /// Reverses [`Data::escaped`]. Fails on a lone backslash or a bad `\x`.
    pub fn unescape(escaped: &str) -> Result<Data, String> {
        let mut out = Vec::with_capacity(escaped.len());
        let bytes = escaped.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                out.push(bytes[i]);
                i += 1;
                continue;
            }
            match bytes.get(i + 1) {
                Some(b'\\') => {
                    out.push(b'\\');
                    i += 2;
                }
                Some(b'x') => {
                    let hex = escaped
                        .get(i + 2..i + 4)
                        .and_then(|digits| u8::from_str_radix(digits, 16).ok())
                        .ok_or_else(|| {
                            format!(
                                "bad escape at byte {i}: \\x must be followed by two hex digits"
                            )
                        })?;
                    out.push(hex);
                    i += 4;
                }
                _ => {
                    return Err(format!(
                        "bad escape at byte {i}: only \\\\ and \\xNN are escapes; write \\\\ for a backslash"
                    ));
                }
            }
        }
        Ok(Data(out))
    }
}

/// Characters that survive a YAML round trip as-is and read well.
fn is_plain_char(ch: char) -> bool {
    match ch {
        '\n' | '\r' | '\t' => true,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => false,
        _ => !ch.is_control(),
    }
}

fn push_hex(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\x");
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0xf)]));
}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_text() {
            Some(text) => write!(f, "Data({text:?})"),
            None => write!(f, "Data(bytes: {:?})", self.escaped()),
        }
    }
}

impl fmt::Display for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl From<Vec<u8>> for Data {
    fn from(bytes: Vec<u8>) -> Self {
        Data(bytes)
    }
}

impl From<&[u8]> for Data {
    fn from(bytes: &[u8]) -> Self {
        Data(bytes.to_vec())
    }
}

impl From<&str> for Data {
    fn from(text: &str) -> Self {
        Data(text.as_bytes().to_vec())
    }
}

impl From<String> for Data {
    fn from(text: String) -> Self {
        Data(text.into_bytes())
    }
}

impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_text() {
            Some(text) => serializer.serialize_str(text),
            None => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("bytes", &self.escaped())?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = Data;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or a mapping {bytes: \"...\"} with \\xNN escapes")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Data, E> {
        Ok(Data::from(text))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Data, E> {
        Ok(Data::from(number.to_string()))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Data, E> {
        Ok(Data::from(number.to_string()))
    }

    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Data, E> {
        Ok(Data::from(flag.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data, A::Error> {
        let mut data = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "bytes" || data.is_some() {
                return Err(de::Error::custom(format!(
                    "unexpected key `{key}` in a byte string; write {{bytes: \"...\"}} with \\xNN escapes"
                )));
            }
            let escaped: String = map.next_value()?;
            data = Some(Data::unescape(&escaped).map_err(de::Error::custom)?);
        }
        data.ok_or_else(|| de::Error::custom("a byte string mapping needs the key `bytes`"))
    }
}
