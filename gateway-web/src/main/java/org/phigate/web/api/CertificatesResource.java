// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.phigate.certificate.boundary.Certificates;
import org.phigate.certificate.control.CertificateEntry;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.certificate.control.CertificateRefused;

/**
 * The certificate inventory: list, read, import (PEM, or PKCS#12 with its password), activate a server certificate on
 * the listeners while the server runs, and remove. A refused import names every reason with its code and changes
 * nothing. The answer never holds a private key; the PEM chain (public) is in the item's own {@code GET}.
 */
@Path("certificates")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CertificatesResource {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final int MAX_CHARS = 1 << 17;
    private static final Logger LOG = Logger.getLogger(CertificatesResource.class.getName());

    @EJB
    Certificates certificates;

    @Context
    SecurityContext security;

    @Inject
    AdminChanges changes;

    @GET
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response list() {
        return Response.ok(Map.of("certificates", certificates.list().stream().map(Certificates::view).toList())).build();
    }

    @GET
    @Path("{name}")
    @Allowed({"gateway-admin", "gateway-auditor"})
    public Response get(@PathParam("name") String name) {
        return certificates.find(name).map(c -> {
            Map<String, Object> item = new java.util.LinkedHashMap<>(Certificates.view(c));
            item.put("chainPem", c.details().chainPem());
            return Response.ok(item).build();
        }).orElseGet(() -> notFound(name));
    }

    /** Imports under a new name: {@code {"purpose": "server|client|trust|identity", "pem": "..."}} or {@code "pkcs12": base64, "password"}. */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed("gateway-admin")
    public Response importCertificate(@PathParam("name") String name, String body) {
        if (!NAME.matcher(name).matches()) {
            return invalid("name", "a name is 1-64 characters of a-z, 0-9 and '-'");
        }
        if (body == null || body.length() > MAX_CHARS) {
            return ApiProblem.of(413, "PHIG-1001", "The document is larger than 128 KiB");
        }
        JsonObject json;
        try {
            json = Json.createReader(new StringReader(body)).readObject();
        } catch (JsonException | IllegalStateException e) {
            return invalid("body", "a JSON object with purpose and pem, or purpose, pkcs12 (base64) and password");
        }
        Optional<CertificatePurpose> purpose = CertificatePurpose.of(json.getString("purpose", ""));
        if (purpose.isEmpty()) {
            return invalid("purpose", "one of server, client, trust, identity");
        }
        try {
            CertificateMaterial material = json.containsKey("pkcs12")
                    ? CertificateMaterial.fromPkcs12(Base64.getMimeDecoder().decode(json.getString("pkcs12", "")), json.getString("password", "").toCharArray())
                    : CertificateMaterial.fromPem(json.getString("pem", ""));
            CertificateEntry entry = certificates.importCertificate(name, purpose.get(), material, changes.origin(CallerSecurity.of(security)));
            LOG.info(() -> "PHIG-0815 certificate " + name + " (" + purpose.get().slug() + ", " + entry.details().fingerprint()
                    + ") imported through the admin API by " + CallerSecurity.of(security));
            return Response.status(201).entity(Certificates.view(entry)).build();
        } catch (CertificateRefused e) {
            return refused(e);
        } catch (IllegalArgumentException | ClassCastException e) {
            return invalid("pkcs12", "base64 of a PKCS#12 file");
        }
    }

    /** Makes a server certificate the one both listeners present; new handshakes get it at once, open connections keep theirs. */
    @POST
    @Path("{name}/activate")
    @Allowed("gateway-admin")
    public Response activate(@PathParam("name") String name) {
        if (certificates.find(name).isEmpty()) {
            return notFound(name);
        }
        try {
            CertificateEntry entry = certificates.activate(name, changes.origin(CallerSecurity.of(security)));
            return Response.ok(Certificates.view(entry)).build();
        } catch (CertificateRefused e) {
            return refused(e);
        } catch (EJBException | IllegalStateException e) {
            return ApiProblem.of(500, "PHIG-5110", "The certificate could not be installed; the listeners keep the previous one (see the server log)");
        }
    }

    @DELETE
    @Path("{name}")
    @Allowed("gateway-admin")
    public Response delete(@PathParam("name") String name) {
        try {
            return certificates.remove(name, changes.origin(CallerSecurity.of(security))) ? Response.noContent().build() : notFound(name);
        } catch (CertificateRefused e) {
            return refused(e);
        }
    }

    private static Response refused(CertificateRefused e) {
        boolean conflict = e.reasons().stream().anyMatch(r -> r.code().equals(CertificateRefused.EXISTS) || r.code().equals(CertificateRefused.NOT_APPLICABLE));
        List<Map<String, Object>> reasons = e.reasons().stream().map(r -> Map.<String, Object>of("code", r.code(), "message", r.message())).toList();
        return ApiProblem.of(conflict ? 409 : 422, "PHIG-1100", "The certificate was refused; nothing changed", Map.of("reasons", reasons));
    }

    private static Response invalid(String field, String expected) {
        return ApiProblem.of(422, "PHIG-1100", "The certificate was refused; nothing changed",
                Map.of("reasons", List.of(Map.of("code", CertificateRefused.UNREADABLE, "message", field + ": " + expected))));
    }

    private static Response notFound(String name) {
        return ApiProblem.of(404, "PHIG-4042", "No such item", Map.of("field", "certificates." + name));
    }
}
