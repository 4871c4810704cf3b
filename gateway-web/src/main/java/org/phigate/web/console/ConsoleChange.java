// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.util.Map;
import java.util.logging.Logger;
import org.phigate.config.ConfigProblem;
import org.phigate.config.ConfigurationRejected;

/**
 * How the console shows a refused change: messages next to the fields it names (PHIG-1xxx, nothing changed).
 */
final class ConsoleChange {

    private static final Logger LOG = Logger.getLogger(ConsoleChange.class.getName());

    private ConsoleChange() {
    }

    /**
     * Shows each problem next to its input: {@code fields} maps the last part of a problem's field (e.g. {@code prefix}
     * of {@code routes.fhir.prefix}) to the input's client id; the rest go to the page's messages.
     */
    static void refused(ConfigurationRejected rejected, Map<String, String> fields, String what) {
        refused(rejected, fields, what, null);
    }

    /** As {@link #refused(ConfigurationRejected, Map, String)}, with the problems no field claims shown at {@code otherwise}. */
    static void refused(ConfigurationRejected rejected, Map<String, String> fields, String what, String otherwise) {
        FacesContext faces = FacesContext.getCurrentInstance();
        for (ConfigProblem problem : rejected.problems()) {
            String field = problem.field();
            String last = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
            String clientId = fields.entrySet().stream().filter(e -> field.endsWith("." + e.getKey()) || last.equals(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(otherwise);
            String text = problem.code() + (problem.line() > 0 ? " line " + problem.line() : "") + " " + last + ": " + problem.message();
            faces.addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
        }
        faces.validationFailed();
        LOG.info(() -> "PHIG-1000 console change of " + what + " refused: " + rejected.problems());
    }

    /** Shows that another change was still being written (PHIG-5037): nothing changed, the admin may save again. */
    static void busy(String what) {
        String text = "PHIG-5037 another change is still being written; nothing was changed, save again.";
        FacesContext faces = FacesContext.getCurrentInstance();
        faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
        faces.validationFailed();
        LOG.info(() -> "PHIG-5037 console change of " + what + " refused: another registry change was still being written");
    }
}
