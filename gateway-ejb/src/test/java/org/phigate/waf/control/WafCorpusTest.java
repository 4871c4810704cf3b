// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The WAF against the corpus: every category of attack must be refused at 95% or more, and not one benign request
 * may be refused: neither the realistic FHIR resources, searches, headers and forms written for PHIGate nor the
 * examples of the FHIR R4 specification (free-text narrative, notes, attachments over a hundred resource types). The table of rates and the misses are
 * printed, so a change to a detector shows what it won and what it cost.
 */
class WafCorpusTest {

    private static final double REQUIRED_DETECTION = 0.95;
    private final Waf waf = new Waf(WafRules.builtIn());

    @Test
    void detectsAtLeast95PercentOfEachCategoryAndRefusesNoBenignRequest() throws IOException {
        Map<String, int[]> rates = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        try (Stream<Path> files = Files.list(WafCorpus.root().resolve("attacks"))) {
            for (Path file : files.sorted().toList()) {
                String category = file.getFileName().toString().replace(".txt", "");
                int[] counts = rates.computeIfAbsent(category, c -> new int[3]);
                for (WafCorpus.Sample sample : WafCorpus.lines(file)) {
                    Optional<Finding> finding = waf.inspect(sample.request(), WafPolicy.DEFAULT);
                    counts[0]++;
                    if (finding.isPresent()) {
                        counts[1]++;
                        if (finding.get().rule().category().slug().equals(category)) {
                            counts[2]++;
                        }
                    } else {
                        misses.add(sample.source() + " (" + sample.location() + ")");
                    }
                }
            }
        }
        List<String> falsePositives = new ArrayList<>();
        List<WafCorpus.Sample> benign = new ArrayList<>(WafCorpus.resources(WafCorpus.root().resolve("benign/resources")));
        benign.addAll(WafCorpus.lines(WafCorpus.root().resolve("benign/requests.txt")));
        List<WafCorpus.Sample> examples = WafCorpus.resources(WafCorpus.root().resolve("benign/hl7-examples"));
        for (WafCorpus.Sample sample : benign) {
            waf.inspect(sample.request(), WafPolicy.DEFAULT).ifPresent(f ->
                    falsePositives.add(sample.source() + " (" + sample.location() + "): " + f.ruleId() + " at " + f.target()));
        }
        int examplesRefused = 0;
        for (WafCorpus.Sample sample : examples) {
            Optional<Finding> f = waf.inspect(sample.request(), WafPolicy.DEFAULT);
            if (f.isPresent()) {
                examplesRefused++;
                falsePositives.add("hl7-examples/" + sample.source() + ": " + f.get().ruleId() + " at " + f.get().target());
            }
        }

        StringBuilder table = new StringBuilder("\nWAF corpus, rules " + waf.rules().version() + "\n");
        table.append(String.format("%-24s %7s %9s %8s %20s%n", "category", "attacks", "refused", "rate", "by its own rules"));
        rates.forEach((category, c) -> table.append(String.format("%-24s %7d %9d %7.1f%% %20d%n", category, c[0], c[1], 100.0 * c[1] / c[0], c[2])));
        table.append(String.format("benign requests written for PHIGate: %d, refused: %d%n", benign.size(), falsePositives.size() - examplesRefused));
        table.append(String.format("HL7 FHIR R4 examples (%d resource types): %d, refused: %d%n",
                examples.stream().map(s -> s.source().substring(0, s.source().indexOf('-'))).distinct().count(), examples.size(), examplesRefused));
        misses.forEach(m -> table.append("  missed: ").append(m).append('\n'));
        falsePositives.forEach(f -> table.append("  false positive: ").append(f).append('\n'));
        System.out.println(table);

        rates.forEach((category, c) -> assertThat((double) c[1] / c[0]).as("detection of %s%s", category, table).isGreaterThanOrEqualTo(REQUIRED_DETECTION));
        assertThat(falsePositives).as("benign requests refused").isEmpty();
    }
}
