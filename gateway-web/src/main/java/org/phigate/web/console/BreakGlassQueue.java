// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.phigate.breakglass.boundary.AlreadyReviewed;
import org.phigate.breakglass.boundary.BreakGlassEvents;
import org.phigate.breakglass.entity.BreakGlassEvent;
import org.phigate.breakglass.entity.ReviewOutcome;

/**
 * The privacy officer's queue of emergency accesses (164.312(a)(2)(ii)): open events first, oldest first; each is
 * approved or flagged as suspected inappropriate access, always with a note. A review is final and audited.
 */
@Named
@ViewScoped
public class BreakGlassQueue implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_NOTE = 2000;

    @EJB
    transient BreakGlassEvents events;

    @Inject
    Console console;

    private String selected = "";
    private String note = "";
    private boolean showReviewed;

    public List<BreakGlassEvent> getEvents() {
        return events.recent().stream().filter(e -> showReviewed || e.reviewedAt().isEmpty())
                .sorted(Comparator.comparing((BreakGlassEvent e) -> e.reviewedAt().isPresent())
                        .thenComparing(e -> e.activation().openedAt()))
                .toList();
    }

    public void choose(String eventId) {
        selected = eventId;
        note = "";
    }

    public void approve() {
        review(ReviewOutcome.APPROVED);
    }

    public void flag() {
        review(ReviewOutcome.FLAGGED);
    }

    private void review(ReviewOutcome outcome) {
        Optional<SignIn> officer = console.signIn().filter(s -> s.may("privacy-officer"));
        if (officer.isEmpty()) {
            return;
        }
        SignIn who = officer.get();
        FacesContext faces = FacesContext.getCurrentInstance();
        if (note == null || note.isBlank() || note.length() > MAX_NOTE) {
            faces.addMessage("review:note", new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "PHIG-1007 A review needs a note of 1 to 2000 characters", "PHIG-1007 A review needs a note of 1 to 2000 characters"));
            faces.validationFailed();
            return;
        }
        try {
            boolean found = events.review(selected, who.username(), outcome, note.trim(), console.origin(who)).isPresent();
            faces.addMessage(null, new FacesMessage(found ? "Event " + selected + " " + outcome.slug() + "." : "PHIG-4041 No such break-glass event."));
        } catch (AlreadyReviewed e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN, "PHIG-4091 The event was reviewed already.", null));
        }
        selected = "";
        note = "";
    }

    public String getSelected() {
        return selected;
    }

    public String getNote() {
        return note;
    }

    public void setNote(String note) {
        this.note = note;
    }

    public boolean isShowReviewed() {
        return showReviewed;
    }

    public void setShowReviewed(boolean showReviewed) {
        this.showReviewed = showReviewed;
    }
}
