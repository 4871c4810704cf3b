// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inspector's decisions that the corpus does not pin down: scopes, exclusions, modes, targets and limits. */
class WafTest {

    private final Waf waf = new Waf(WafRules.builtIn());

    private Optional<Finding> query(String rawQuery, WafPolicy policy) {
        return waf.inspect(RequestParts.get("/fhir/Observation", rawQuery, List.of()), policy);
    }

    private Optional<Finding> json(String body, WafPolicy policy) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return waf.inspect(new RequestParts("POST", "/fhir/Observation", "", List.of(), "application/fhir+json", bytes, bytes.length), policy);
    }

    private static WafPolicy excluding(WafPolicy.Exclusion... exclusions) {
        return new WafPolicy(WafPolicy.Mode.BLOCK, WafPolicy.Profile.FHIR, WafPolicy.DEFAULT_BODY_LIMIT, false, List.of(exclusions));
    }

    @Test
    void aFindingNamesTheRuleAndWhereButNotTheContent() {
        Finding finding = query("name=%27+OR+%271%27%3D%271", WafPolicy.DEFAULT).orElseThrow();
        assertThat(finding.ruleId()).isEqualTo("PHIG-WAF-2001");
        assertThat(finding.rule().category()).isEqualTo(Category.SQL_INJECTION);
        assertThat(finding.target()).isEqualTo("query:name");
    }

    @Test
    void anAttackersParameterNameCannotCarryTextIntoTheTarget() {
        Finding finding = query("%3Cscript%3Ealert(1)%3C%2Fscript%3E=1", WafPolicy.DEFAULT).orElseThrow();
        assertThat(finding.target()).isEqualTo("query:_script_alert_1__/script_");
    }

    @Test
    void freeTextTakesOnlyTheRulesProseCannotTrigger() {
        String sentence = "1 or 2 tabs; select one from the list, then update from pharmacy";
        assertThat(json("{\"resourceType\":\"Observation\",\"note\":[{\"text\":\"" + sentence + "\"}]}", WafPolicy.DEFAULT)).isEmpty();
        assertThat(json("{\"resourceType\":\"Observation\",\"identifier\":[{\"value\":\"x; select a from b\"}]}", WafPolicy.DEFAULT))
                .map(Finding::ruleId).hasValue("PHIG-WAF-2008");
        assertThat(json("{\"resourceType\":\"Observation\",\"note\":[{\"text\":\"' OR 1=1--\"}]}", WafPolicy.DEFAULT))
                .map(Finding::target).hasValue("json:$.note[0].text");
    }

    @Test
    void theGenericProfileReadsEveryValueAsStructured() {
        WafPolicy generic = new WafPolicy(WafPolicy.Mode.BLOCK, WafPolicy.Profile.GENERIC, WafPolicy.DEFAULT_BODY_LIMIT, false, List.of());
        String body = "{\"note\":[{\"text\":\"x; select a from b\"}]}";
        assertThat(json(body, WafPolicy.DEFAULT)).isEmpty();
        assertThat(json(body, generic)).map(Finding::ruleId).hasValue("PHIG-WAF-2008");
    }

    @Test
    void anExclusionSwitchesOneRuleOffForOneParameterOnly() {
        String attack = "code=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E";
        WafPolicy policy = excluding(new WafPolicy.Exclusion("PHIG-WAF-3002", "query:code"));
        assertThat(query(attack, WafPolicy.DEFAULT)).map(Finding::ruleId).hasValue("PHIG-WAF-3002");
        assertThat(query(attack, policy)).isEmpty();
        assertThat(query(attack.replace("code=", "status="), policy)).map(Finding::ruleId).hasValue("PHIG-WAF-3002");
        assertThat(query("code=%3Cscript%3E", policy)).as("other rules still apply").map(Finding::ruleId).hasValue("PHIG-WAF-3001");
    }

    @Test
    void jsonPathExclusionsTakeWildcardsAndAnyDepth() {
        String body = "{\"component\":[{\"valueString\":\"$(id)\"},{\"valueString\":\"$(id)\"}]}";
        assertThat(json(body, WafPolicy.DEFAULT)).map(Finding::target).hasValue("json:$.component[0].valueString");
        assertThat(json(body, excluding(new WafPolicy.Exclusion("PHIG-WAF-6002", "json:$.component[*].valueString")))).isEmpty();
        assertThat(json(body, excluding(new WafPolicy.Exclusion("PHIG-WAF-6002", "json:$..valueString")))).isEmpty();
        assertThat(json(body, excluding(new WafPolicy.Exclusion("PHIG-WAF-6002", "json:$.component[0].valueString"))))
                .map(Finding::target).hasValue("json:$.component[1].valueString");
        assertThat(json(body, excluding(new WafPolicy.Exclusion("PHIG-WAF-6002", null)))).as("the whole route").isEmpty();
    }

    @Test
    void onlyWholeDotSegmentsMakeAPathMalformed() {
        for (String malformed : List.of("/fhir/./Patient", "/fhir/../Patient", "/fhir/Patient/.", "/fhir/Patient/..", "./fhir", "/fhir//Patient")) {
            assertThat(waf.inspect(RequestParts.get(malformed, "", List.of()), WafPolicy.DEFAULT)).as(malformed)
                    .map(Finding::ruleId).hasValue("PHIG-WAF-1015");
        }
        for (String benign : List.of("/fhir/.well-known/smart-configuration", "/fhir/Binary/report.v2.pdf", "/fhir/a.../b", "/fhir/Patient/$everything")) {
            assertThat(waf.inspect(RequestParts.get(benign, "", List.of()), WafPolicy.DEFAULT)).as(benign).isEmpty();
        }
    }

    @Test
    void modeOffInspectsNothing() {
        WafPolicy off = new WafPolicy(WafPolicy.Mode.OFF, WafPolicy.Profile.FHIR, WafPolicy.DEFAULT_BODY_LIMIT, false, List.of());
        assertThat(query("name=%3Cscript%3E", off)).isEmpty();
    }

    @Test
    void narrativeIsHeldToTheElementsFhirAllows() {
        String narrative = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">%s</div>\"}}";
        assertThat(json(narrative.formatted("<p>K &lt; 3.5, <b>call</b></p><table><tr><td>x</td></tr></table>"), WafPolicy.DEFAULT)).isEmpty();
        assertThat(json(narrative.formatted("<blink>x</blink>"), WafPolicy.DEFAULT)).map(Finding::ruleId).hasValue("PHIG-WAF-3006");
        assertThat(json(narrative.formatted("<input name='ssn'>"), WafPolicy.DEFAULT)).map(Finding::ruleId).hasValue("PHIG-WAF-3006");
        assertThat(json("{\"note\":[{\"text\":\"<blink>x</blink>\"}]}", WafPolicy.DEFAULT)).as("outside narrative").isEmpty();
    }

    @Test
    void malformedAndDeepJsonIsRefusedNotSkipped() {
        assertThat(json("{\"a\":", WafPolicy.DEFAULT)).map(Finding::ruleId).hasValue("PHIG-WAF-1013");
        assertThat(json("[".repeat(65) + "]".repeat(65), WafPolicy.DEFAULT)).map(Finding::ruleId).hasValue("PHIG-WAF-1017");
        assertThat(json("[".repeat(64) + "]".repeat(64), WafPolicy.DEFAULT)).isEmpty();
        assertThat(json("{\"a\":\"<script>\", \"b\": }", WafPolicy.DEFAULT)).as("the finding, not a parse error after it")
                .map(Finding::ruleId).hasValue("PHIG-WAF-3001");
    }

    @Test
    void base64AttachmentsAreReadOnlyForASerializationStreamAtTheirStart() {
        String pdf = java.util.Base64.getEncoder().encodeToString("%PDF-1.4 x' OR 1=1-- <script>".getBytes(StandardCharsets.US_ASCII));
        assertThat(json("{\"content\":[{\"attachment\":{\"data\":\"" + pdf + "\"}}]}", WafPolicy.DEFAULT)).isEmpty();
        assertThat(json("{\"content\":[{\"attachment\":{\"data\":\"rO0ABXNyABFqYXZh\"}}]}", WafPolicy.DEFAULT))
                .map(Finding::ruleId).hasValue("PHIG-WAF-8001");
    }

    @Test
    void noSqlPatternMatchesAFingerprintOfNamesNumbersAndOperatorsAlone() {
        String prose = "n1ox(),v";
        List<String> fingerprints = new java.util.ArrayList<>(List.of(""));
        for (int length = 1; length <= 5; length++) {
            List<String> longer = new java.util.ArrayList<>();
            for (String f : fingerprints) {
                if (f.length() == length - 1) {
                    for (char c : prose.toCharArray()) {
                        longer.add(f + c);
                    }
                }
            }
            fingerprints.addAll(longer);
        }
        List<WafRule> sql = WafRules.builtIn().all().stream().filter(r -> r.category() == Category.SQL_INJECTION).toList();
        for (String fingerprint : fingerprints) {
            assertThat(SqlInjection.couldMatch(fingerprint)).isFalse();
            for (WafRule rule : sql) {
                assertThat(rule.patterns()).as("%s on %s", rule.id(), fingerprint).noneMatch(p -> p.matcher(fingerprint).find());
            }
        }
    }

    @Test
    void aDetectorSkippedForLackOfItsMarksCouldNotHaveMatched() throws Exception {
        WafRules rules = WafRules.builtIn();
        TemplateInjection template = new TemplateInjection(rules);
        CrossSiteScripting xss = new CrossSiteScripting(rules);
        CommandInjection command = new CommandInjection(rules);
        List<String> payloads = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(WafCorpus.root().resolve("attacks"))) {
            for (java.nio.file.Path file : files.toList()) {
                java.nio.file.Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                        .map(l -> l.substring(l.indexOf('\t') + 1).replace("%%LF%%", "\n")).forEach(payloads::add);
            }
        }
        int matched = 0;
        for (String payload : payloads) {
            String value = Decoding.forDetection(payload);
            String lower = value.toLowerCase(java.util.Locale.ROOT);
            int marks = Waf.marks(value);
            if (template.detect(lower, RuleScope.ALL).isPresent()) {
                matched++;
                assertThat(marks & Waf.TEMPLATE_MARKS).as("template marks of %s", payload).isNotZero();
            }
            if (xss.detect(value, RuleScope.ALL).isPresent()) {
                matched++;
                assertThat(marks & Waf.MARKUP_MARKS).as("markup marks of %s", payload).isNotZero();
            }
            if (command.detect(lower, RuleScope.ALL).isPresent()) {
                matched++;
                assertThat(marks & Waf.SHELL_MARKS).as("shell marks of %s", payload).isNotZero();
            }
        }
        assertThat(matched).isGreaterThan(150);
    }

    @Test
    void theRulesFileHasAVersionAndEveryRuleAnIdATitleAndACategoryAndEveryCategoryRules() {
        assertThat(WafRules.builtIn().version()).matches("\\d{4}\\.\\d{2}\\.\\d+");
        assertThat(WafRules.builtIn().all()).allSatisfy(rule -> {
            assertThat(rule.id()).matches("PHIG-WAF-\\d{4}");
            assertThat(rule.title()).isNotBlank();
        });
        assertThat(WafRules.builtIn().all()).extracting(WafRule::category).contains(Category.values());
    }
}
