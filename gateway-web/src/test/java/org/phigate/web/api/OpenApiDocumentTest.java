// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The published OpenAPI document lists exactly the operations the resources serve, with the roles they admit. */
class OpenApiDocumentTest {

    private static final List<Class<? extends Annotation>> VERBS = List.of(GET.class, PUT.class, POST.class, DELETE.class);
    private static final Pattern ALTERNATIVES = Pattern.compile("\\{(\\w+): ([\\w|-]+)}");

    @Test
    void everyOperationIsDocumentedWithItsRolesAndNothingElseIs() throws Exception {
        Map<String, List<String>> served = served();

        assertThat(served).containsEntry("DELETE /identities/{name}", List.of("gateway-admin"))
                .containsEntry("GET /health", List.of()).hasSizeGreaterThan(20);
        assertThat(documented()).isEqualTo(served);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> documented() throws Exception {
        Map<String, Object> document;
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
            document = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        Map<String, List<String>> operations = new TreeMap<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((verb, op) -> {
            if (!verb.equals("parameters")) {
                List<String> roles = (List<String>) ((Map<String, Object>) op).get("x-phigate-roles");
                operations.put(verb.toUpperCase() + " " + path, roles == null ? List.of("(undocumented)") : roles.stream().sorted().toList());
            }
        }));
        return operations;
    }

    private static Map<String, List<String>> served() throws Exception {
        Map<String, List<String>> operations = new TreeMap<>();
        for (Class<?> resource : resources()) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                for (Class<? extends Annotation> verb : VERBS) {
                    if (method.isAnnotationPresent(verb)) {
                        Path sub = method.getAnnotation(Path.class);
                        String path = "/" + Stream.of(base, sub == null ? "" : sub.value()).filter(p -> !p.isEmpty()).reduce((a, b) -> a + "/" + b).orElse("");
                        expand(path).forEach(p -> operations.put(verb.getSimpleName() + " " + p, roles(resource, method)));
                    }
                }
            }
        }
        return operations;
    }

    private static List<String> expand(String path) {
        Matcher m = ALTERNATIVES.matcher(path);
        if (!m.find()) {
            return List.of(path);
        }
        List<String> paths = new ArrayList<>();
        for (String alternative : m.group(2).split("\\|")) {
            paths.addAll(expand(path.substring(0, m.start()) + alternative + path.substring(m.end())));
        }
        return paths;
    }

    private static List<String> roles(Class<?> resource, Method method) {
        if (method.isAnnotationPresent(Public.class)) {
            return List.of();
        }
        Allowed allowed = method.isAnnotationPresent(Allowed.class) ? method.getAnnotation(Allowed.class) : resource.getAnnotation(Allowed.class);
        return allowed == null ? List.of("(nobody)") : Stream.of(allowed.value()).sorted().toList();
    }

    private static List<Class<?>> resources() throws URISyntaxException, Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(OpenApiResource.class.getResource("OpenApiResource.class").toURI()).getParent();
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = file.getFileName().toString();
                Class<?> type = Class.forName(OpenApiResource.class.getPackageName() + "." + name.substring(0, name.length() - 6), false,
                        OpenApiResource.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }
}
