// SPDX-License-Identifier: Apache-2.0
package org.phigate.config;

import java.util.List;
import java.util.Map;
import org.phigate.certificate.control.CertificateSource;
import org.phigate.identity.ServiceIdentitySpec;
import org.phigate.route.control.PoolSpec;
import org.phigate.route.control.RouteSpec;
import org.phigate.vendor.control.VendorSpec;

/**
 * What a configuration file asks for, plus the line of each named item so that problems found
 * later (against the registry) can still point into the file. Keys of {@code lines}: "pools.NAME", "routes.NAME",
 * "identities.NAME", "vendors.NAME", "certificates.NAME". {@code certificates} are files the configuration file names,
 * to be in the inventory before the pools that name them.
 */
public record DesiredState(String file, List<PoolSpec> pools, List<RouteSpec> routes, List<ServiceIdentitySpec> identities,
                           List<VendorSpec> vendors, List<CertificateSource> certificates, Map<String, Integer> lines) {

    /** A desired state that names no certificate files. */
    public DesiredState(String file, List<PoolSpec> pools, List<RouteSpec> routes, List<ServiceIdentitySpec> identities,
                        List<VendorSpec> vendors, Map<String, Integer> lines) {
        this(file, pools, routes, identities, vendors, List.of(), lines);
    }

    /** A desired state without business associates. */
    public DesiredState(String file, List<PoolSpec> pools, List<RouteSpec> routes, List<ServiceIdentitySpec> identities,
                        Map<String, Integer> lines) {
        this(file, pools, routes, identities, List.of(), lines);
    }

    public DesiredState {
        vendors = List.copyOf(vendors);
        certificates = List.copyOf(certificates);
        pools = List.copyOf(pools);
        routes = List.copyOf(routes);
        identities = List.copyOf(identities);
        lines = Map.copyOf(lines);
    }

    public ConfigProblem problem(String code, String field, String message) {
        String item = field.indexOf('.', field.indexOf('.') + 1) > 0 ? field.substring(0, field.indexOf('.', field.indexOf('.') + 1)) : field;
        return new ConfigProblem(code, file, lines.getOrDefault(field, lines.getOrDefault(item, 0)), field, message);
    }
}
