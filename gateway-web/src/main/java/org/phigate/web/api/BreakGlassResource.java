// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.phigate.breakglass.boundary.AlreadyReviewed;
import org.phigate.breakglass.boundary.BreakGlassEvents;
import org.phigate.breakglass.entity.BreakGlassEvent;
import org.phigate.breakglass.entity.ReviewOutcome;
import org.phigate.identity.Caller;

/** Break-glass events: read by privacy officers and auditors, reviewed (closed) by privacy officers only. */
@Path("break-glass-events")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BreakGlassResource {

    private static final int MAX_NOTE = 2000;

    @EJB
    BreakGlassEvents events;

    @Context
    SecurityContext security;

    @Inject
    AdminChanges changes;

    @GET
    @Allowed({"privacy-officer", "gateway-auditor"})
    public Map<String, Object> list() {
        return Map.of("events", events.recent().stream().map(BreakGlassResource::json).toList());
    }

    @POST
    @Path("{eventId}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed("privacy-officer")
    public Response review(@PathParam("eventId") String eventId, Map<String, Object> body) {
        Object note = body == null ? null : body.get("note");
        if (!(note instanceof String text) || text.isBlank() || text.length() > MAX_NOTE) {
            return ApiProblem.of(422, "PHIG-1007", "A review needs a note of 1 to 2000 characters",
                    Map.of("problems", java.util.List.of(Map.of("field", "note", "message", "1 to 2000 characters"))));
        }
        Object named = body.getOrDefault("outcome", "approved");
        Optional<ReviewOutcome> outcome = named instanceof String slug ? ReviewOutcome.of(slug) : Optional.empty();
        if (outcome.isEmpty()) {
            return ApiProblem.of(422, "PHIG-1007", "A review's outcome is approved or flagged",
                    Map.of("problems", java.util.List.of(Map.of("field", "outcome", "message", "approved or flagged"))));
        }
        Caller reviewer = CallerSecurity.of(security);
        try {
            return events.review(eventId, reviewer.username().isEmpty() ? reviewer.subject() : reviewer.username(), outcome.get(), text,
                            changes.origin(reviewer))
                    .map(e -> Response.ok(json(e)).build())
                    .orElseGet(() -> ApiProblem.of(404, "PHIG-4041", "No such break-glass event"));
        } catch (AlreadyReviewed e) {
            return ApiProblem.of(409, "PHIG-4091", "The event was reviewed already");
        }
    }

    private static Map<String, Object> json(BreakGlassEvent event) {
        var a = event.activation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", event.eventId());
        m.put("open", event.reviewedAt().isEmpty());
        m.put("subject", a.subject());
        m.put("username", a.username());
        m.put("clientId", a.clientId());
        m.put("route", a.route());
        m.put("justification", a.justification());
        m.put("requestId", a.requestId());
        m.put("openedAt", a.openedAt().toString());
        m.put("expiresAt", a.expiresAt().toString());
        event.reviewedBy().ifPresent(r -> m.put("reviewedBy", r));
        event.reviewedAt().ifPresent(t -> m.put("reviewedAt", t.toString()));
        event.reviewOutcome().ifPresent(o -> m.put("outcome", o.slug()));
        event.reviewNote().ifPresent(n -> m.put("reviewNote", n));
        return m;
    }
}
