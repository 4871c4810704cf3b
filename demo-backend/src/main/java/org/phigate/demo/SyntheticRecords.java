// SPDX-License-Identifier: Apache-2.0
package org.phigate.demo;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Made-up patients and observations in FHIR R4 JSON. Nothing here describes a real person. */
final class SyntheticRecords {

    record Patient(String id, String family, String given, String gender, String birthDate) {
        String json() {
            return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"meta\":{\"tag\":[{\"code\":\"SYNTHETIC\"}]},"
                    + "\"name\":[{\"family\":\"" + family + "\",\"given\":[\"" + given + "\"]}],"
                    + "\"gender\":\"" + gender + "\",\"birthDate\":\"" + birthDate + "\"}";
        }
    }

    record Observation(String id, String patientId, String loinc, String display, double value, String unit) {
        String json() {
            return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                    + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\",\"display\":\"" + display + "\"}]},"
                    + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                    + "\"valueQuantity\":{\"value\":" + value + ",\"unit\":\"" + unit + "\"}}";
        }
    }

    static final List<Patient> PATIENTS = List.of(
            new Patient("p-1001", "Testpatient", "Ada", "female", "1961-04-12"),
            new Patient("p-1002", "Sample", "Brook", "male", "1978-09-30"),
            new Patient("p-1003", "Fictional", "Casey", "other", "1990-01-05"),
            new Patient("p-1004", "Synthetic", "Dana", "female", "2004-07-21"));

    static final List<Observation> OBSERVATIONS = List.of(
            new Observation("o-1", "p-1001", "8867-4", "Heart rate", 72, "beats/min"),
            new Observation("o-2", "p-1001", "8310-5", "Body temperature", 36.8, "Cel"),
            new Observation("o-3", "p-1002", "8867-4", "Heart rate", 64, "beats/min"),
            new Observation("o-4", "p-1003", "29463-7", "Body weight", 71.5, "kg"));

    private SyntheticRecords() {
    }

    static Optional<Patient> patient(String id) {
        return PATIENTS.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    static String bundle(List<String> entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + entries.size() + ",\"entry\":["
                + entries.stream().map(e -> "{\"resource\":" + e + "}").collect(Collectors.joining(",")) + "]}";
    }
}
