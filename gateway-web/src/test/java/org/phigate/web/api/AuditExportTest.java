// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditExportTest {

    @Test
    void csvQuotesWhatNeedsItAndDisarmsFormulas() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("subject", "=HYPERLINK(\"http://evil\")");
        record.put("path", "/fhir/Patient/*?_count=5,6");
        record.put("status", 200);

        String line = AuditExport.csv(record, List.of("subject", "path", "status", "absent"));

        assertThat(line).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\",\"/fhir/Patient/*?_count=5,6\",200,\r\n");
        assertThat(AuditExport.field("-1")).isEqualTo("'-1");
        assertThat(AuditExport.field("plain")).isEqualTo("plain");
    }
}
