// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API's errors as RFC 9457 problem details with a stable code; extra members as given. */
final class ApiProblem {

    static final String MEDIA_TYPE = "application/problem+json";

    private ApiProblem() {
    }

    static Response of(int status, String code, String title, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:phigate:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("code", code);
        body.putAll(extra);
        return Response.status(status).type(MEDIA_TYPE).entity(body).build();
    }

    static Response of(int status, String code, String title) {
        return of(status, code, title, Map.of());
    }

    static Map<String, Object> problems(List<Map<String, Object>> problems) {
        return Map.of("problems", problems);
    }
}
