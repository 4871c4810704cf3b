// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the WAF costs per request body: {@code inspect} is the whole inspection of a FHIR JSON body (strict UTF-8,
 * the JSON reader, every detector on every string); {@code readOnly} is the reference, the strict decode and the JSON
 * read alone, the least any JSON-aware WAF must do. bench/waf runs both and prints them side by side. The bodies are
 * the benign corpus: one Observation (small), and searchset Bundles of its resources of about 10 KiB and 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WafBenchmark {

    @Param({"small", "10KiB", "1MiB"})
    public String body;

    private final Waf waf = new Waf(WafRules.builtIn());
    private RequestParts request;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path resources = WafCorpus.root().resolve("benign/resources");
        bytes = switch (body) {
            case "small" -> Files.readAllBytes(resources.resolve("observation-glucose.json"));
            case "10KiB" -> bundle(resources, 10 * 1024);
            case "1MiB" -> bundle(resources, 1000 * 1024);
            default -> throw new IllegalArgumentException(body);
        };
        request = new RequestParts("POST", "/fhir/Bundle", "", List.of(), "application/fhir+json", bytes, bytes.length);
        if (waf.inspect(request, WafPolicy.DEFAULT).isPresent()) {
            throw new IllegalStateException("the benchmark body must be benign: " + waf.inspect(request, WafPolicy.DEFAULT));
        }
    }

    /** A searchset Bundle of the corpus's JSON resources, in turn, until it is about {@code size} bytes. */
    static byte[] bundle(Path resources, int size) throws IOException {
        List<String> entries;
        try (Stream<Path> files = Files.list(resources)) {
            entries = files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[");
        for (int i = 0; bundle.length() < size - 200; i++) {
            bundle.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"https://ehr.example.org/fhir/x/").append(i).append("\",\"resource\":")
                    .append(entries.get(i % entries.size()).strip()).append('}');
        }
        return bundle.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Object inspect() {
        return waf.inspect(request, WafPolicy.DEFAULT);
    }

    @Benchmark
    public void readOnly(Blackhole hole) throws UnreadableBody {
        Decoding.Decoded text = Decoding.utf8(bytes, 0, bytes.length);
        JsonScanner.scan(text.text(), (path, key, value, isKey) -> {
            hole.consume(value);
            return true;
        });
    }
}
