// SPDX-License-Identifier: Apache-2.0
package org.phigate.waf.control;

import java.nio.file.Files;
import java.nio.file.Path;

/** Prints the byte size of each of {@link WafBenchmark}'s bodies, for bench/waf's table. */
public final class WafBenchmarkSizes {

    private WafBenchmarkSizes() {
    }

    public static void main(String[] args) throws Exception {
        Path resources = WafCorpus.root().resolve("benign/resources");
        System.out.println("small " + Files.size(resources.resolve("observation-glucose.json")));
        System.out.println("10KiB " + WafBenchmark.bundle(resources, 10 * 1024).length);
        System.out.println("1MiB " + WafBenchmark.bundle(resources, 1000 * 1024).length);
    }
}
