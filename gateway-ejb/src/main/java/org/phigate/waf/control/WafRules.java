// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rules, read once from the versioned {@code rules.yaml} that ships inside the EAR. The detectors take their
 * word lists and token patterns from here; the version goes into the documentation and the health report, so an
 * operator can tell which rules judged a request.
 */
public final class WafRules {

    private static final String RESOURCE = "/org/phigate/waf/rules.yaml";
    private static final WafRules BUILT_IN = load();

    private final String version;
    private final Map<String, WafRule> rules;

    private WafRules(String version, Map<String, WafRule> rules) {
        this.version = version;
        this.rules = rules;
    }

    public static WafRules builtIn() {
        return BUILT_IN;
    }

    public String version() {
        return version;
    }

    public List<WafRule> all() {
        return List.copyOf(rules.values());
    }

    public Optional<WafRule> find(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    /** The rule with this id; a detector asking for a rule the file lacks is a packaging error. */
    public WafRule rule(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("PHIG-0600 the WAF rules file has no rule " + id));
    }

    @SuppressWarnings("unchecked")
    private static WafRules load() {
        try (InputStream in = WafRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("PHIG-0600 " + RESOURCE + " is missing from the deployment");
            }
            Map<String, Object> document = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            Map<String, WafRule> rules = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) document.get("rules")).forEach((id, body) -> rules.put(id, rule(id, body)));
            return new WafRules(String.valueOf(document.get("version")), rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static WafRule rule(String id, Map<String, Object> body) {
        Map<String, List<String>> words = new LinkedHashMap<>();
        List<Pattern> patterns = new ArrayList<>();
        body.forEach((key, value) -> {
            if (key.equals("patterns")) {
                ((List<String>) value).forEach(p -> patterns.add(Pattern.compile(p)));
            } else if (value instanceof List<?> list) {
                words.put(key, list.stream().map(w -> String.valueOf(w).toLowerCase(Locale.ROOT)).toList());
            }
        });
        return new WafRule(id, Category.ofSlug((String) body.get("category")), (String) body.get("title"),
                Boolean.TRUE.equals(body.get("freeText")), words, patterns);
    }
}
