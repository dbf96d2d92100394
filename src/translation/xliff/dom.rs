//! An XML document read into a small tree whose elements know their namespace and the
//! byte offset where they start, so that problems are reported at their line and column.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// An element.
#[derive(Debug, Clone)]
pub struct Element {
    /// Its namespace (empty when it has none).
    pub namespace: String,
    /// Its local name.
    pub name: String,
    /// Its attributes as written (`id`, `xml:lang`), namespace declarations left out.
    pub attributes: Vec<(String, String)>,
    /// Its content.
    pub children: Vec<Node>,
    /// The byte offset of its `<`.
    pub at: usize,
}

/// A piece of an element's content.
#[derive(Debug, Clone)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Text, entities resolved.
    Text(String),
}

impl Element {
    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether it is `name` in `namespace`.
    pub fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace == namespace && self.name == name
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The child elements `name` in `namespace`.
    pub fn named<'a>(
        &'a self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.is(namespace, name))
    }

    /// Its text, child elements left out.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }
}

/// A reason the text is not well-formed XML, and the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// The byte offset.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

fn error(at: u64, message: impl Into<String>) -> XmlError {
    XmlError {
        at: at as usize,
        message: message.into(),
    }
}

fn element(
    namespace: Result<String, String>,
    e: &BytesStart,
    at: u64,
) -> Result<Element, XmlError> {
    let namespace =
        namespace.map_err(|p| error(at, format!("the prefix `{p}` is not declared")))?;
    let mut attributes = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| error(at, format!("bad attribute: {e}")))?;
        let key = a.key.0.to_string();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| error(at, format!("bad attribute value: {e}")))?;
        attributes.push((key, value.into_owned()));
    }
    Ok(Element {
        namespace,
        name: e.local_name().as_ref().to_string(),
        attributes,
        children: Vec::new(),
        at: at as usize,
    })
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.children.last_mut() {
            t.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_string()));
        }
    }
}

/// Reads `text` as XML into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_reader(text.as_bytes());
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => {
                let ns = match ns {
                    ResolveResult::Bound(n) => Ok(n.0.to_string()),
                    ResolveResult::Unbound => Ok(String::new()),
                    ResolveResult::Unknown(p) => Err(p),
                };
                (ns, event)
            }
            Err(e) => return Err(error(reader.error_position(), e.to_string())),
        };
        match event {
            Event::Start(e) => {
                let el = element(ns, &e, at)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = element(ns, &e, at)?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(el)),
                    None if root.is_none() => root = Some(el),
                    None => return Err(error(at, "a second root element")),
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| error(at, "an end tag without a start"))?;
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(done)),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                if stack.is_empty() {
                    if !content.trim().is_empty() {
                        return Err(error(at, "text outside the root element"));
                    }
                } else {
                    push_text(&mut stack, &content);
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content().into_owned();
                push_text(&mut stack, &content);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(error(at, format!("unknown entity `&{other};`"))),
                    },
                    Err(e) => return Err(error(at, e.to_string())),
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
            }
            Event::DocType(_) => {
                return Err(error(
                    at,
                    "a document type declaration (DOCTYPE) is not accepted",
                ));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error(
            open.at as u64,
            format!("`<{}>` is not closed", open.name),
        ));
    }
    root.ok_or_else(|| error(0, "no root element"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_know_their_namespace_and_place() {
        let xml = "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:a\" xmlns:m=\"urn:m\" id=\"1\">\n <m:b k=\"&lt;v&gt;\">x &amp; y&#x21;<![CDATA[<z>]]></m:b>\n</a>\n";
        let root = parse(xml).unwrap();
        assert!(root.is("urn:a", "a"));
        assert_eq!(root.attribute("id"), Some("1"));
        assert_eq!(root.at, 22);
        let b = root.elements().next().unwrap();
        assert!(b.is("urn:m", "b"));
        assert_eq!(b.attribute("k"), Some("<v>"));
        assert_eq!(b.text(), "x & y!<z>");
        assert_eq!(&xml[b.at..b.at + 4], "<m:b");
    }

    #[test]
    fn ill_formed_xml_is_an_error_with_its_place() {
        let e = parse("<a>\n <b></c>\n</a>").unwrap_err();
        assert!(e.message.contains('c') || e.message.contains('b'), "{e:?}");
        assert!(e.at > 3, "{e:?}");
        assert!(parse("<a>").is_err());
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_err());
    }
}
