// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.audit.control.ChangeOrigin;
import org.phigate.breakglass.control.BreakGlassActivation;
import org.phigate.breakglass.control.BreakGlassLedger;
import org.phigate.breakglass.entity.BreakGlassEvent;
import org.phigate.breakglass.entity.ReviewOutcome;
import org.phigate.config.RegistryDocument;

/** The break-glass events: recorded by the data plane (committed before the request goes on), reviewed by privacy officers. */
@Stateless
@LocalBean
public class BreakGlassEvents implements BreakGlassLedger {

    private static final Logger LOG = Logger.getLogger(BreakGlassEvents.class.getName());
    static final int MAX_LISTED = 500;

    @PersistenceContext(unitName = "phigate")
    EntityManager em;

    @EJB
    AuditJournal audit;

    @Override
    public void record(BreakGlassActivation activation) {
        BreakGlassEvent event = new BreakGlassEvent(activation);
        em.persist(event);
        em.flush();
        LOG.warning(() -> "PHIG-0300 break-glass " + event.eventId() + ": " + activation + "; open until a privacy officer reviews it");
    }

    public List<BreakGlassEvent> recent() {
        return em.createNamedQuery(BreakGlassEvent.FIND_RECENT, BreakGlassEvent.class).setMaxResults(MAX_LISTED).getResultList();
    }

    /** How many events wait for a privacy officer's review (one count query, index ix_break_glass_open). */
    public long openCount() {
        return em.createNamedQuery(BreakGlassEvent.COUNT_OPEN, Long.class).getSingleResult();
    }

    /**
     * @return the reviewed event, or empty if there is no such event
     * @throws AlreadyReviewed if it was reviewed before
     * @throws org.phigate.audit.boundary.AuditUnavailable while the review could not be recorded
     */
    public Optional<BreakGlassEvent> review(String eventId, String reviewer, ReviewOutcome outcome, String note, ChangeOrigin origin) {
        audit.requireStoreUp();
        Optional<BreakGlassEvent> event = em.createNamedQuery(BreakGlassEvent.FIND_BY_EVENT_ID, BreakGlassEvent.class)
                .setParameter("eventId", eventId).getResultStream().findFirst();
        event.ifPresent(e -> {
            if (e.reviewedAt().isPresent()) {
                throw new AlreadyReviewed(eventId);
            }
            e.review(reviewer, outcome, note, Instant.now());
            audit.recordOnCommit(origin, "break-glass-events." + eventId, RegistryDocument.json(Map.of("open", true)),
                    RegistryDocument.json(Map.of("open", false, "reviewedBy", reviewer, "outcome", outcome.slug(), "reviewNote", note)));
            if (outcome == ReviewOutcome.FLAGGED) {
                LOG.warning(() -> "PHIG-0302 break-glass " + eventId + " FLAGGED by " + reviewer + " as suspected inappropriate access: "
                        + e.activation() + "; follow the security incident procedure");
            } else {
                LOG.info(() -> "PHIG-0301 break-glass " + eventId + " approved by " + reviewer);
            }
        });
        return event;
    }
}
