// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's OpenAPI document, kept beside the code as a file (WildFly's default configuration has no MicroProfile
 * OpenAPI subsystem, and the EAR must run on servers without it). OpenApiDocumentTest keeps it true: every
 * resource method is in it, with the roles that {@link Allowed} gives, and nothing else is.
 */
@Path("openapi.json")
@ApplicationScoped
public class OpenApiResource {

    static final String DOCUMENT = "openapi.json";

    private final byte[] document = read();

    private static byte[] read() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the WAR lacks " + DOCUMENT);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return document.clone();
    }
}
