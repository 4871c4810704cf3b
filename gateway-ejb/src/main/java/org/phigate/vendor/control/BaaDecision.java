// SPDX-License-Identifier: Apache-2.0
package org.phigate.vendor.control;

import java.time.Instant;
import java.util.Optional;
import org.phigate.fhir.FhirRequest;
import org.phigate.route.control.RouteSpec;

/**
 * The business associate rule (164.308(b), 164.502(e)): a route that carries PHI to a vendor forwards only while the
 * vendor's agreement is in force and its PHI scope covers the route and every resource type the request would
 * disclose. Pure: the data plane passes the vendor of the route table it matched against and the time of the request.
 * Break-glass does not reach here as an exception: emergency access is about who may see PHI, not about disclosing
 * it to a vendor without an agreement.
 */
public final class BaaDecision {

    public static final String DRAFT = "PHIG-4392";
    public static final String NOT_YET_EFFECTIVE = "PHIG-4393";
    public static final String EXPIRED = "PHIG-4394";
    public static final String TERMINATED = "PHIG-4395";
    /** The agreement is in force but does not cover this route or one of the resource types asked for. */
    public static final String OUT_OF_SCOPE = "PHIG-4396";

    /** For a scope of every type, where the request's types do not matter. */
    private static final FhirRequest.Disclosure EVERY_TYPE_COVERED = new FhirRequest.Disclosure(java.util.Set.of(), true);

    /** Why the request may not go to the vendor, and which vendor. */
    public record Refusal(String reason, String vendor) {
    }

    private BaaDecision() {
    }

    /**
     * @param vendor  the vendor the route (or its pool) is linked to, as the matched table holds it (a table cannot link
     *                a route to a vendor it does not hold); empty for a route of the hospital's own systems
     * @param request the request read as FHIR: the resource types it can disclose, and whether they can all be told
     *                (an operation such as {@code $everything}, a wildcard, {@code _has} on an unnamed type or a search
     *                in a body cannot: then only an agreement that covers every type covers it)
     */
    public static Optional<Refusal> decide(RouteSpec route, Optional<VendorSpec> vendor, FhirRequest request, Instant now) {
        if (!route.carriesPhi() || vendor.isEmpty()) {
            return Optional.empty();
        }
        VendorSpec v = vendor.get();
        Optional<String> lapse = v.lapse(now);
        if (lapse.isPresent()) {
            return Optional.of(new Refusal(lapse.get(), v.name()));
        }
        FhirRequest.Disclosure disclosed = v.scope().everyType() ? EVERY_TYPE_COVERED : request.disclosure();
        return v.scope().covers(route.name(), disclosed.types(), disclosed.complete()) ? Optional.empty()
                : Optional.of(new Refusal(OUT_OF_SCOPE, v.name()));
    }
}
