// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.phigate.certificate.boundary.Certificates;
import org.phigate.certificate.control.CertificateEntry;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateRefused;
import org.primefaces.model.file.UploadedFile;

/**
 * The certificate inventory: details, import (PEM, or PKCS#12 with its password), activation of a server certificate
 * on both listeners (rotation without restart) and removal (gateway-admin). A refusal lists every reason, PHIG-11xx.
 */
@Named
@ViewScoped
public class CertificateList implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(CertificateList.class.getName());
    static final int MAX_BYTES = 128 * 1024;

    @EJB
    transient Certificates certificates;

    @Inject
    Console console;

    private String name = "";
    private String purpose = "trust";
    private String password = "";
    private transient UploadedFile file;
    private String selected;

    public List<CertificateEntry> getEntries() {
        return certificates.inventory().stream().sorted(Comparator.comparing(c -> c.details().notAfter())).toList();
    }

    public List<Map.Entry<String, Object>> getSelectedFields() {
        return Optional.ofNullable(selected).flatMap(certificates::find).map(c -> List.copyOf(Certificates.view(c).entrySet())).orElse(List.of());
    }

    public void show(String certificate) {
        selected = certificate;
    }

    public void importCertificate() {
        Optional<SignIn> admin = console.admin();
        if (admin.isEmpty()) {
            return;
        }
        SignIn who = admin.get();
        FacesContext faces = FacesContext.getCurrentInstance();
        if (file == null || file.getSize() == 0 || file.getSize() > MAX_BYTES) {
            refuse(faces, "upload:file", "PHIG-1101 Choose a PEM or PKCS#12 file of at most 128 KiB");
            return;
        }
        Optional<CertificatePurpose> use = CertificatePurpose.of(Objects.toString(purpose, ""));
        if (use.isEmpty()) {
            refuse(faces, "upload:purpose", "PHIG-1112 Choose server, client, trust or identity");
            return;
        }
        byte[] content = file.getContent();
        try {
            String text = new String(content, StandardCharsets.US_ASCII);
            CertificateMaterial material = text.contains("-----BEGIN ") ? CertificateMaterial.fromPem(text)
                    : CertificateMaterial.fromPkcs12(content, Objects.toString(password, "").toCharArray());
            CertificateEntry entry = certificates.importCertificate(Objects.toString(name, "").trim(), use.get(), material, console.origin(who));
            LOG.info(() -> "PHIG-0815 certificate " + entry.name() + " (" + use.get().slug() + ", " + entry.details().fingerprint()
                    + ") imported through the console by " + who.username());
            faces.addMessage(null, new FacesMessage("Certificate " + entry.name() + " imported."));
            name = "";
            password = "";
        } catch (CertificateRefused e) {
            refused(e, "upload:file");
        }
    }

    public void activate(String certificate) {
        console.admin().ifPresent(who -> {
            FacesContext faces = FacesContext.getCurrentInstance();
            try {
                certificates.activate(certificate, console.origin(who));
                faces.addMessage(null, new FacesMessage(certificate + " is now the listeners' certificate: new connections get it."));
            } catch (CertificateRefused e) {
                refused(e, null);
            } catch (EJBException | IllegalStateException e) {
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                        "PHIG-5110 The certificate could not be installed; the listeners keep the previous one (see the server log).", null));
            }
        });
    }

    public void remove(String certificate) {
        console.admin().ifPresent(who -> {
            try {
                boolean removed = certificates.remove(certificate, console.origin(who));
                FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(removed ? certificate + " removed." : certificate + " was already gone."));
            } catch (CertificateRefused e) {
                refused(e, null);
            }
        });
    }

    /** Every reason of a refusal, each with its code, at {@code field} (null: the page's messages). Nothing changed. */
    private static void refused(CertificateRefused refusal, String field) {
        FacesContext faces = FacesContext.getCurrentInstance();
        refusal.reasons().forEach(r -> faces.addMessage(field, new FacesMessage(FacesMessage.SEVERITY_ERROR, r.code() + " " + r.message(), r.code() + " " + r.message())));
        faces.validationFailed();
    }

    private static void refuse(FacesContext faces, String field, String text) {
        faces.addMessage(field, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
        faces.validationFailed();
    }

    public List<String> getPurposes() {
        return List.of("server", "client", "trust", "identity");
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPurpose() {
        return purpose;
    }

    public void setPurpose(String purpose) {
        this.purpose = purpose;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public UploadedFile getFile() {
        return file;
    }

    public void setFile(UploadedFile file) {
        this.file = file;
    }
}
