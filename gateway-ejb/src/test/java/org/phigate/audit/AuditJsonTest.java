// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.phigate.audit.control.AuditChain;
import org.phigate.audit.control.AuditEntry;
import org.phigate.audit.control.AuditJson;

/** An entry read back from its JSON is the same entry: the archive's hashes can be computed again. */
class AuditJsonTest {

    @Test
    void anEntryWithEveryKindOfTextComesBackUnchangedAndStillHashesTheSame() {
        AuditEntry change = AuditEntry.change("c0ffee", 1_764_000_000_123_456L).caller("admin \"root\"", "phigate-ops", null)
                .connection("::1", null, null).request("PUT", "routes.ehr", "/api/routes/ehr")
                .states("{\"prefix\":\"/a\\\\b/\"}", "line\nbreak\ttab \u2028 \u0001 é ✓").build();
        AuditEntry access = AuditEntry.access("r1", 1_764_000_000_000_001L).decision(AuditEntry.Decision.REFUSE, "PHIG-4032", true, null)
                .result(403, 12, 340, 1500, false).build();
        List<AuditEntry> chained = AuditChain.Linked.entries(new AuditChain("gw-1", 41, "ab".repeat(32)).link(List.of(change, access)));

        for (AuditEntry e : chained) {
            AuditEntry back = AuditJson.read(AuditJson.write(e));
            assertThat(back).isEqualTo(e);
            assertThat(AuditChain.hash(back.prevHash(), back)).isEqualTo(e.hash());
        }
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> AuditJson.parse("{\"a\":[1]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditJson.parse("{\"a\":1} x")).hasMessageContaining("text after the object");
        assertThatThrownBy(() -> AuditJson.parse("{\"a\":\"open")).hasMessageContaining("unterminated");
    }
}
