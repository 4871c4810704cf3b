// SPDX-License-Identifier: Apache-2.0
package org.phigate.breakglass.entity;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.phigate.breakglass.control.BreakGlassActivation;

/** A break-glass activation, open until a privacy officer reviews it. The review is the only change it admits. */
@Entity
@Table(name = "break_glass_event")
@NamedQuery(name = BreakGlassEvent.FIND_RECENT, query = "SELECT e FROM BreakGlassEvent e ORDER BY e.openedAt DESC")
@NamedQuery(name = BreakGlassEvent.FIND_BY_EVENT_ID, query = "SELECT e FROM BreakGlassEvent e WHERE e.eventId = :eventId")
@NamedQuery(name = BreakGlassEvent.COUNT_OPEN, query = "SELECT COUNT(e) FROM BreakGlassEvent e WHERE e.reviewedAt IS NULL")
public class BreakGlassEvent {

    public static final String FIND_RECENT = "BreakGlassEvent.findRecent";
    public static final String FIND_BY_EVENT_ID = "BreakGlassEvent.findByEventId";
    public static final String COUNT_OPEN = "BreakGlassEvent.countOpen";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "phigate_id")
    private Long id;

    @Version
    private long version;

    @Column(name = "event_id", nullable = false, unique = true, length = 36)
    private String eventId;

    @Column(nullable = false)
    private String subject;

    @Column(nullable = false)
    private String username;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(nullable = false, length = 64)
    private String route;

    @Column(nullable = false, length = 500)
    private String justification;

    @Column(name = "request_id", nullable = false, length = 32)
    private String requestId;

    @Column(name = "opened_at", nullable = false)
    private Instant openedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "reviewed_by")
    private String reviewedBy;

    @Column(name = "reviewed_at")
    private Instant reviewedAt;

    @Column(name = "review_note", length = 2000)
    private String reviewNote;

    @Enumerated(EnumType.STRING)
    @Column(name = "review_outcome", length = 16)
    private ReviewOutcome reviewOutcome;

    protected BreakGlassEvent() {
    }

    public BreakGlassEvent(BreakGlassActivation activation) {
        this.eventId = UUID.randomUUID().toString();
        this.subject = activation.subject();
        this.username = activation.username();
        this.clientId = activation.clientId();
        this.route = activation.route();
        this.justification = activation.justification();
        this.requestId = activation.requestId();
        this.openedAt = activation.openedAt();
        this.expiresAt = activation.expiresAt();
    }

    /** @throws IllegalStateException if it was reviewed already: a review is never rewritten */
    public void review(String reviewer, ReviewOutcome outcome, String note, Instant at) {
        if (reviewedAt != null) {
            throw new IllegalStateException("event " + eventId + " was reviewed already");
        }
        this.reviewedBy = Objects.requireNonNull(reviewer, "reviewer");
        this.reviewOutcome = Objects.requireNonNull(outcome, "outcome");
        this.reviewNote = note == null ? "" : note;
        this.reviewedAt = Objects.requireNonNull(at, "at");
    }

    public String eventId() {
        return eventId;
    }

    public BreakGlassActivation activation() {
        return new BreakGlassActivation(subject, username, clientId, route, justification, requestId, openedAt, expiresAt);
    }

    public Optional<String> reviewedBy() {
        return Optional.ofNullable(reviewedBy);
    }

    public Optional<Instant> reviewedAt() {
        return Optional.ofNullable(reviewedAt);
    }

    public Optional<ReviewOutcome> reviewOutcome() {
        return Optional.ofNullable(reviewOutcome);
    }

    public Optional<String> reviewNote() {
        return Optional.ofNullable(reviewNote);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakGlassEvent other && eventId.equals(other.eventId);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return "BreakGlassEvent[" + eventId + ", route " + route + (reviewedAt == null ? ", open" : ", reviewed") + "]";
    }
}
