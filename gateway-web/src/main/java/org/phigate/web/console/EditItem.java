// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.config.ConfigurationParser;
import org.phigate.config.ConfigurationParser.Section;
import org.phigate.config.ConfigurationRejected;
import org.phigate.config.RegistryDocument;
import org.phigate.route.boundary.RegistryBusy;
import org.phigate.route.boundary.Routes;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Creates or edits one pool, service identity or business associate as the configuration file's YAML for that item
 * (gateway-admin): everything the file can say, checked by the same parser, applied in one transaction with its
 * audit entry. A refusal shows each problem with its line and field beside the document and changes nothing.
 */
@Named
@ViewScoped
public class EditItem implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EditItem.class.getName());
    private static final Map<String, String> EXAMPLES = Map.of(
            "pools", "backends:\n  - https://backend.example.org:443\n",
            "identities", "fingerprint: SHA-256 fingerprint of the client certificate (64 hex digits)\nroles: [lab-feed]\n",
            "vendors", "legalName: Example Laboratories, Inc.\ncontact: privacy@example.org\nstatus: draft\neffective: 2026-01-01\n"
                    + "expires: 2027-01-01\nphiScope:\n  resourceTypes: [Observation]\n");

    @EJB
    transient Routes routes;

    @Inject
    Console console;

    private String section = "pools";
    private String name = "";
    private String document = "";
    private boolean existing;

    public void load() {
        if (!EXAMPLES.containsKey(section)) {
            section = "pools";
        }
        if (existing || document != null && !document.isEmpty()) {
            return;
        }
        Optional<Object> item = name == null || name.isBlank() ? Optional.empty() : RegistryDocument.item(routes.current(), section, name);
        existing = item.isPresent();
        document = item.map(EditItem::yaml).orElse(EXAMPLES.get(section));
    }

    static String yaml(Object item) {
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(item);
    }

    public String save() {
        Optional<SignIn> admin = console.admin();
        if (admin.isEmpty()) {
            return null;
        }
        SignIn who = admin.get();
        String item = Objects.toString(name, "").trim();
        try {
            long generation = routes.apply(ConfigurationParser.parseItem(Section.valueOf(section.toUpperCase(java.util.Locale.ROOT)), item,
                    Objects.toString(document, "")), console.origin(who)).generation();
            LOG.info(() -> "PHIG-0120 " + section + "." + item + (existing ? " replaced" : " created") + " through the console by "
                    + who.username() + "; route table generation " + generation);
        } catch (ConfigurationRejected e) {
            ConsoleChange.refused(e, Map.of("name", "item:name"), section + "." + item, "item:document");
            return null;
        } catch (RegistryBusy e) {
            ConsoleChange.busy(section + "." + item);
            return null;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        faces.getExternalContext().getFlash().setKeepMessages(true);
        faces.addMessage(null, new FacesMessage(item + (existing ? " saved." : " created.") + " It applies now."));
        return section + "?faces-redirect=true";
    }

    public String getTitle() {
        String kind = switch (section) {
            case "identities" -> "service identity";
            case "vendors" -> "business associate";
            default -> "pool";
        };
        return existing ? "Edit " + kind + " " + name : "New " + kind;
    }

    public String getSection() {
        return section;
    }

    public void setSection(String section) {
        this.section = section;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDocument() {
        return document;
    }

    public void setDocument(String document) {
        this.document = document;
    }

    public boolean isExisting() {
        return existing;
    }
}
