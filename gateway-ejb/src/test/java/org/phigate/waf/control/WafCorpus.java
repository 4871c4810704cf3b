// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The corpus of {@code src/test/resources/waf-corpus} (see its README) turned into requests: each line's payload
 * placed where its location says, encoded as a client would send it.
 */
final class WafCorpus {

    /** One corpus request, named by its file and line so a failure points at it. */
    record Sample(String source, String location, RequestParts request) {
    }

    private WafCorpus() {
    }

    static Path root() {
        try {
            return Path.of(WafCorpus.class.getResource("/waf-corpus/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Sample> lines(Path file) throws IOException {
        List<Sample> samples = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String location = line.substring(0, tab);
            samples.add(new Sample(file.getFileName() + ":" + (i + 1), location, request(location, line.substring(tab + 1))));
        }
        return samples;
    }

    static List<Sample> resources(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().map(f -> {
                String media = f.toString().endsWith(".xml") ? "application/fhir+xml" : "application/fhir+json";
                byte[] body = read(f);
                return new Sample(f.getFileName().toString(), "body:" + media, post(media, body));
            }).toList();
        }
    }

    static RequestParts request(String location, String rawPayload) {
        String payload = rawPayload.replace("%%LF%%", "\n").replace("%%CR%%", "\r").replace("%%TAB%%", "\t")
                .replace("%%GZIPSER64%%", Base64.getEncoder().encodeToString(gzip(serialized())))
                .replace("%%DEEPJSON%%", "[".repeat(100) + "]".repeat(100));
        int colon = location.indexOf(':');
        String kind = colon < 0 ? location : location.substring(0, colon);
        String name = colon < 0 ? "" : location.substring(colon + 1);
        return switch (kind) {
            case "query" -> RequestParts.get("/fhir/Patient", encode(name) + "=" + encode(payload), List.of());
            case "rawquery" -> RequestParts.get("/fhir/Patient", payload, List.of());
            case "path" -> RequestParts.get("/fhir/" + payload, "", List.of());
            case "header" -> RequestParts.get("/fhir/Patient", "", List.of(new RequestParts.Header(name, payload)));
            case "cookie" -> RequestParts.get("/fhir/Patient", "", List.of(new RequestParts.Header("Cookie", name + "=" + payload)));
            case "form" -> post("application/x-www-form-urlencoded", (encode(name) + "=" + encode(payload)).getBytes(StandardCharsets.US_ASCII));
            case "json" -> post("application/fhir+json", json(name, payload).getBytes(StandardCharsets.UTF_8));
            case "xml" -> post("application/fhir+xml", xml(name, payload).getBytes(StandardCharsets.UTF_8));
            case "body" -> post(name, payload.equals("%%JAVASER%%") ? serialized() : payload.getBytes(StandardCharsets.UTF_8));
            case "multipart" -> multipart("form-data; name=\"" + name + "\"", "", payload.getBytes(StandardCharsets.UTF_8));
            case "filename" -> multipart("form-data; name=\"file\"; filename=\"" + payload + "\"", "Content-Type: application/pdf\r\n",
                    "%PDF-1.4 a small file".getBytes(StandardCharsets.US_ASCII));
            default -> throw new IllegalArgumentException("unknown corpus location " + location);
        };
    }

    private static RequestParts post(String media, byte[] body) {
        return new RequestParts("POST", "/fhir/Patient", "", List.of(), media, body, body.length);
    }

    private static RequestParts multipart(String disposition, String extraHeaders, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--b0undary\r\nContent-Disposition: " + disposition + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII));
        return post("multipart/form-data; boundary=b0undary", body.toByteArray());
    }

    private static String json(String field, String payload) {
        String p = jsonString(payload);
        return switch (field) {
            case "family" -> "{\"resourceType\":\"Patient\",\"name\":[{\"family\":" + p + "}]}";
            case "given" -> "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[" + p + "]}]}";
            case "note" -> "{\"resourceType\":\"Observation\",\"status\":\"final\",\"note\":[{\"text\":" + p + "}]}";
            case "identifier" -> "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:1.2.3\",\"value\":" + p + "}]}";
            case "reference" -> "{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":" + p + "}}";
            case "div" -> "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":" + p + "}}";
            case "valueString" -> "{\"resourceType\":\"Observation\",\"status\":\"final\",\"valueString\":" + p + "}";
            case "key" -> "{\"resourceType\":\"Patient\"," + p + ":\"x\"}";
            case "data" -> "{\"resourceType\":\"DocumentReference\",\"content\":[{\"attachment\":{\"contentType\":\"application/pdf\",\"data\":" + p + "}}]}";
            default -> throw new IllegalArgumentException("unknown JSON field " + field);
        };
    }

    private static String xml(String field, String payload) {
        return switch (field) {
            case "family" -> "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"" + payload.replace("&", "&amp;").replace("\"", "&quot;")
                    .replace("<", "&lt;") + "\"/></name></Patient>";
            case "div" -> "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                    + payload + "</div></text></Patient>";
            default -> throw new IllegalArgumentException("unknown XML field " + field);
        };
    }

    static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A real Java serialization stream, as a gadget chain would arrive (a plain map stands in for the gadget). */
    static byte[] serialized() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            HashMap<String, String> map = new HashMap<>();
            map.put("k", "v");
            out.writeObject(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
