// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an XML body (FHIR XML among others) with a StAX parser that resolves no entity and loads no DTD, and hands
 * each attribute value and text node to a visitor with its path ({@code /Patient/name/family/@value}), and
 * each dotted element name too (XStream and XMLDecoder name Java classes that way). A document
 * type declaration is refused outright (XXE, billion laughs): FHIR XML never needs one. Elements in the XHTML
 * namespace (FHIR narrative) are also handed over as tags, so the narrative rules can judge their names.
 */
public final class XmlScanner {

    public static final String XHTML = "http://www.w3.org/1999/xhtml";

    /** Receives the document's content; {@code element} is the local name of the element it belongs to. */
    public interface Visitor {
        /** @return whether to go on */
        boolean text(String path, String element, String value);

        /** An XHTML element, rebuilt as a start tag ({@code <img src="...">}) for the narrative rules. */
        boolean xhtmlTag(String path, String tag);
    }

    private static final XMLInputFactory FACTORY = factory();

    private XmlScanner() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    public static void scan(String text, Visitor visitor) throws UnreadableBody {
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY") || text.contains("<!doctype")) {
            throw new UnreadableBody("PHIG-WAF-1016", "a document type declaration");
        }
        List<String> path = new ArrayList<>();
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(text));
            try {
                walk(reader, path, visitor);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new UnreadableBody("PHIG-WAF-1013", "not well-formed XML");
        }
    }

    private static void walk(XMLStreamReader reader, List<String> path, Visitor visitor) throws XMLStreamException, UnreadableBody {
        int depth = 0;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.ENTITY_DECLARATION ->
                        throw new UnreadableBody("PHIG-WAF-1016", "a document type declaration or entity");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (++depth > JsonScanner.MAX_DEPTH) {
                        throw new UnreadableBody("PHIG-WAF-1017", "nested deeper than " + JsonScanner.MAX_DEPTH);
                    }
                    path.add(reader.getLocalName());
                    if (!startElement(reader, String.join("/", path), visitor)) {
                        return;
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    path.remove(path.size() - 1);
                    depth--;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (!reader.isWhiteSpace() && !visitor.text("/" + String.join("/", path), path.isEmpty() ? "" : path.get(path.size() - 1), reader.getText())) {
                        return;
                    }
                }
                default -> { }
            }
        }
    }

    private static boolean startElement(XMLStreamReader reader, String path, Visitor visitor) {
        String element = reader.getLocalName();
        if (element.indexOf('.') > 0 && !visitor.text("/" + path, element, element)) {
            return false;
        }
        if (XHTML.equals(reader.getNamespaceURI())) {
            StringBuilder tag = new StringBuilder("<").append(element);
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                String prefix = reader.getAttributePrefix(i);
                String name = prefix == null || prefix.isEmpty() ? reader.getAttributeLocalName(i) : prefix + ":" + reader.getAttributeLocalName(i);
                tag.append(' ').append(name).append("=\"").append(reader.getAttributeValue(i).replace("\"", "&quot;")).append('"');
            }
            if (!visitor.xhtmlTag("/" + path, tag.append('>').toString())) {
                return false;
            }
        }
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String attribute = reader.getAttributeLocalName(i);
            if (!visitor.text("/" + path + "/@" + attribute, element, reader.getAttributeValue(i))) {
                return false;
            }
        }
        return true;
    }
}
