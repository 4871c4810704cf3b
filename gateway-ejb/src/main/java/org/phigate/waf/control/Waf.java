// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Inspects one request: path, query, headers, cookies and the body by its media type, each value decoded strictly
 * and read by every detector under the route's policy. The first rule broken is the answer; the data plane refuses
 * or records it. Immutable and thread-safe: one instance serves every request.
 */
public final class Waf {

    /** FHIR elements that hold prose a clinician wrote: read with only the rules prose cannot trigger. */
    private static final Set<String> FREE_TEXT = Set.of("text", "valueString", "valueMarkdown", "comment", "description", "display",
            "title", "summary", "conclusion", "note", "instruction", "patientInstruction", "purpose", "rationale", "detail",
            "statement", "answer", "documentation", "requirements", "copyright", "usage", "definition", "question", "label",
            "outcomeDesc", "expression", "comments", "reasonText", "textualForm", "markdown", "message");
    /** FHIR elements that carry base64 (Attachment.data, Binary.data): only a serialization stream is looked for. */
    private static final Set<String> BASE64 = Set.of("data", "valueBase64Binary", "blob", "sig");
    /** Headers the WAF leaves to other stages: the credential, the framing, content negotiation. */
    private static final Set<String> UNINSPECTED_HEADERS = Set.of("authorization", "cookie", "content-length", "transfer-encoding",
            "content-type", "accept", "accept-encoding", "accept-language", "connection", "host", "te", "upgrade-insecure-requests",
            "if-none-match", "if-match", "if-modified-since", "prefer", "x-request-id", "traceparent", "tracestate");

    private final WafRules rules;
    private final SqlInjection sql;
    private final CrossSiteScripting xss;
    private final PathTraversal traversal;
    private final RemoteInclusion inclusion;
    private final CommandInjection command;
    private final TemplateInjection template;
    private final Deserialization deserialization;

    public Waf(WafRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        sql = new SqlInjection(rules);
        xss = new CrossSiteScripting(rules);
        traversal = new PathTraversal(rules);
        inclusion = new RemoteInclusion(rules);
        command = new CommandInjection(rules);
        template = new TemplateInjection(rules);
        deserialization = new Deserialization(rules);
    }

    public WafRules rules() {
        return rules;
    }

    /** The first rule the request breaks, in the order path, query, headers, cookies, body. */
    public Optional<Finding> inspect(RequestParts request, WafPolicy policy) {
        if (policy.mode() == WafPolicy.Mode.OFF) {
            return Optional.empty();
        }
        Inspection inspection = new Inspection(this, policy);
        Optional<Finding> found = inspection.path(request.rawPath());
        if (found.isEmpty()) {
            found = inspection.query(request.rawQuery());
        }
        if (found.isEmpty()) {
            found = inspection.headers(request.headers());
        }
        if (found.isEmpty() && request.bodyLength() > 0) {
            found = inspection.body(request.contentType(), request.body(), request.bodyLength());
        }
        return found;
    }

    /** Every detector over one decoded value: structured values take all rules, free text those marked for it. */
    Optional<WafRule> value(String raw, RuleScope scope, boolean urlsMayInclude) {
        String value = Decoding.forDetection(raw);
        String lower = value.toLowerCase(Locale.ROOT);
        int marks = marks(value);
        Optional<WafRule> found = deserialization.detect(value, lower, scope);
        if (found.isEmpty() && (marks & TEMPLATE_MARKS) != 0) {
            found = template.detect(lower, scope);
        }
        if (found.isEmpty() && (marks & MARKUP_MARKS) != 0) {
            found = xss.detect(value, scope);
        }
        if (found.isEmpty()) {
            found = sql.detect(value, scope);
        }
        if (found.isEmpty() && (marks & SHELL_MARKS) != 0) {
            found = command.detect(lower, scope);
        }
        if (found.isEmpty()) {
            found = traversal.detect(lower, scope);
        }
        if (found.isEmpty() && urlsMayInclude) {
            found = inclusion.detect(value, scope);
        }
        return found;
    }

    /*
     * One pass over a value notes which punctuation it holds; a detector that cannot match without one of its marks
     * is skipped. Most clinical values (codes, dates, names, plain sentences) are spared three of the detectors.
     * WafTest holds each detector to its marks against the whole corpus.
     */
    private static final String MARKED = "<>&:'\"`{}#_.[@%;|$\n\r/-(";
    static final int MARKUP_MARKS = mask("<>&:'\"`");
    static final int TEMPLATE_MARKS = mask("{<#_.[@%(");
    static final int SHELL_MARKS = mask(";|&$`{/-\n\r");

    private static int mask(String characters) {
        int mask = 0;
        for (int i = 0; i < characters.length(); i++) {
            mask |= 1 << MARKED.indexOf(characters.charAt(i));
        }
        return mask;
    }

    static int marks(String value) {
        int marks = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                int at = MARKED.indexOf(c);
                if (at >= 0) {
                    marks |= 1 << at;
                }
            }
        }
        return marks;
    }

    Optional<WafRule> narrative(String xhtml, RuleScope scope) {
        Optional<WafRule> found = xss.detectNarrative(xhtml, scope);
        return found.isPresent() ? found : value(xhtml, rule -> scope.allows(rule) && rule.category() != Category.CROSS_SITE_SCRIPTING, false);
    }

    Optional<WafRule> base64(String value, RuleScope scope) {
        return deserialization.detectBase64(value, scope);
    }

    Optional<WafRule> binary(byte[] body, int offset, int length, RuleScope scope) {
        return deserialization.detectBinary(body, offset, length, scope);
    }

    Optional<WafRule> typeHint(String key, String value, RuleScope scope) {
        return deserialization.detectTypeHint(key, value, scope);
    }

    Optional<WafRule> typedArray(String firstElement, RuleScope scope) {
        return deserialization.detectTypedArray(firstElement, scope);
    }

    static boolean isFreeText(String key, WafPolicy policy) {
        return policy.profile() == WafPolicy.Profile.FHIR && FREE_TEXT.contains(key);
    }

    static boolean isBase64(String key, WafPolicy policy) {
        return policy.profile() == WafPolicy.Profile.FHIR && BASE64.contains(key);
    }

    static boolean inspectsHeader(String name) {
        return !UNINSPECTED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
