// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.ChainVerifier;

class AuditChainTest {

    private static AuditEntry entry(int i) {
        return AuditEntry.access("req-" + i, 1_700_000_000_000_000L + i).caller("sub-" + i, "phigate-ehr", null)
                .request("GET", "fhir", "/fhir/Patient/*").result(200, 0, 512, 1500, false).build();
    }

    private static List<AuditEntry> chain(int n) {
        AuditChain chain = new AuditChain("node-a", 0, AuditChain.GENESIS);
        List<AuditEntry> all = new ArrayList<>();
        for (int batch = 0; batch < n; batch += 3) {
            List<AuditChain.Linked> linked = chain.link(IntStream.range(batch, Math.min(n, batch + 3)).mapToObj(AuditChainTest::entry).toList());
            chain.committed(linked);
            all.addAll(AuditChain.Linked.entries(linked));
        }
        return all;
    }

    private static Optional<ChainVerifier.Break> verify(List<AuditEntry> stored) {
        ChainVerifier verifier = new ChainVerifier("node-a");
        return stored.stream().map(verifier::accept).flatMap(Optional::stream).findFirst();
    }

    @Test
    void anUntouchedChainVerifiesAcrossBatches() {
        List<AuditEntry> stored = chain(10);

        assertThat(verify(stored)).isEmpty();
        assertThat(stored).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aChangedFieldIsNamed() {
        List<AuditEntry> stored = new ArrayList<>(chain(10));
        AuditEntry e = stored.get(6);
        stored.set(6, new AuditEntry(e.kind(), e.node(), e.seq(), e.atMicros(), e.requestId(), "someone-else", e.clientId(),
                e.serviceIdentity(), e.sourceIp(), e.tlsProtocol(), e.tlsCipher(), e.method(), e.route(), e.path(), e.resourceType(),
                e.interaction(), e.patient(), e.decision(), e.reason(), e.breakGlass(), e.backend(), e.vendor(), e.status(), e.bytesIn(),
                e.bytesOut(), e.durationMicros(), e.aborted(), e.before(), e.after(), e.prevHash(), e.hash()));

        assertThat(verify(stored)).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(7);
            assertThat(b.requestId()).isEqualTo("req-6");
            assertThat(b.what()).startsWith("changed");
        });
    }

    @Test
    void theVendorIsCoveredByTheHash() {
        AuditChain chain = new AuditChain("node-a", 0, AuditChain.GENESIS);
        List<AuditEntry> stored = new ArrayList<>(AuditChain.Linked.entries(chain.link(List.of(entry(0), AuditEntry.access("req-1", 1_700_000_000_000_001L)
                .request("GET", "labs", "/labs/Observation").decision(AuditEntry.Decision.REFUSE, "PHIG-4394", false, "acme")
                .vendor("acme-labs").build()))));
        assertThat(verify(stored)).isEmpty();
        AuditEntry e = stored.get(1);
        stored.set(1, new AuditEntry(e.kind(), e.node(), e.seq(), e.atMicros(), e.requestId(), e.subject(), e.clientId(),
                e.serviceIdentity(), e.sourceIp(), e.tlsProtocol(), e.tlsCipher(), e.method(), e.route(), e.path(), e.resourceType(),
                e.interaction(), e.patient(), e.decision(), e.reason(), e.breakGlass(), e.backend(), null, e.status(), e.bytesIn(),
                e.bytesOut(), e.durationMicros(), e.aborted(), e.before(), e.after(), e.prevHash(), e.hash()));

        assertThat(verify(stored)).hasValueSatisfying(b -> assertThat(b.requestId()).isEqualTo("req-1"));
    }

    @Test
    void aRemovedEntryIsNamedByItsPosition() {
        List<AuditEntry> stored = new ArrayList<>(chain(10));
        stored.remove(4);

        assertThat(verify(stored)).hasValueSatisfying(b -> {
            assertThat(b.seq()).isEqualTo(5);
            assertThat(b.what()).startsWith("removed");
        });
    }

    @Test
    void anEntryInsertedWithAValidOwnHashIsNamed() {
        List<AuditEntry> stored = new ArrayList<>(chain(6));
        AuditEntry forged = entry(99).chained("node-a", 4, stored.get(2).hash(), null);
        forged = forged.chained("node-a", 4, stored.get(2).hash(), AuditChain.hash(stored.get(2).hash(), forged));
        List<AuditEntry> tampered = new ArrayList<>(stored.subList(0, 3));
        tampered.add(forged);
        stored.subList(3, 6).forEach(e -> tampered.add(e.chained("node-a", e.seq() + 1, e.prevHash(), e.hash())));

        assertThat(verify(tampered)).hasValueSatisfying(b -> assertThat(b.seq()).isEqualTo(5));
    }
}
