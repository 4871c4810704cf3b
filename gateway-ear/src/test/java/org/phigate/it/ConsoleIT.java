// SPDX-License-Identifier: Apache-2.0
package org.phigate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.phigate.demo.FhirDemoServer;

/**
 * The admin console in a real headless Chromium against the real server and Keycloak: sign-in with password and a
 * one-time code, a route created in the console and called through the gateway, the call found on the audit page,
 * sign-out that ends the provider's session; a sign-in without a second factor never reaching the console (at the
 * provider, and at the console itself when the realm is mis-configured); a clinician refused; idle logoff.
 * Screenshots of each page go to target/console-screenshots for review.
 */
class ConsoleIT extends AgainstTheGateway {

    @ArquillianResource
    ManagementClient management;

    /** A sample backend and a pool of that name with it, through the admin API. */
    private static FhirDemoServer poolWithBackend(String name) throws Exception {
        FhirDemoServer backend = backend(name);
        HttpResponse<String> pool = gateway.put(Gateway.ADMIN + "/api/pools/" + name, "application/json",
                "{\"backends\": [\"https://127.0.0.1:" + backend.port() + "\"]}", ops());
        assertThat(pool.statusCode()).as(pool.body()).isEqualTo(201);
        return backend;
    }

    private void signInWithCode(ConsoleBrowser browser, String username, String passwordName, String secretName) throws Exception {
        browser.go(ConsoleBrowser.CONSOLE);
        browser.signIn(username, keycloak.credential(passwordName));
        browser.enterCode(Totp.freshCode(username, keycloak.credential(secretName)));
        browser.awaitUrl(ConsoleBrowser.CONSOLE);
    }

    @Test
    void anAdministratorCreatesARouteCallsItAndFindsTheCallInTheAudit() throws Exception {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        FhirDemoServer backend = poolWithBackend(name);
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            signInWithCode(browser, "admin", "adminPassword", "adminTotpSecret");
            assertThat(browser.text("#who")).contains("admin", "gateway-admin");
            browser.find("#routeCount");
            browser.screenshot("dashboard");
            assertSecurityHeaders(browser);

            browser.go(ConsoleBrowser.CONSOLE + "route.xhtml");
            browser.type("[id='route:name']", name);
            browser.type("[id='route:prefix']", "/" + name + "/");
            browser.choose("route:pool", name);
            browser.type("[id='route:backendPath']", "/r4/");
            browser.click("[id='route:save']");
            browser.awaitText("[id='route:rolesMessage']", "PHIG-");
            browser.screenshot("route-refused");
            assertThat(gateway.get(Gateway.ADMIN + "/api/routes/" + name, ops()).statusCode()).as("nothing changed").isEqualTo(404);

            browser.type("[id='route:roles']", "clinician");
            browser.screenshot("route");
            browser.click("[id='route:save']");
            browser.awaitUrl("routes.xhtml");
            browser.awaitText("[id='routes:list']", "/" + name + "/");
            browser.screenshot("routes");

            HttpResponse<String> call = gateway.get(Gateway.DATA + "/" + name + "/Patient", ehr());
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            String requestId = call.headers().firstValue("X-Request-Id").orElseThrow();

            browser.go(ConsoleBrowser.CONSOLE + "audit.xhtml");
            browser.type("[id='audit:route']", name);
            browser.click("[id='audit:search']");
            browser.awaitText("[id='audit:records']", requestId);
            assertThat(browser.text("[id='audit:records']")).contains("FORWARD", "GET /" + name + "/Patient", "200");
            browser.screenshot("audit");
            HttpResponse<String> export = gateway.send(HttpRequest.newBuilder(URI.create(ConsoleBrowser.CONSOLE + "export?format=csv"))
                    .header("Cookie", "PHIGATE_CONSOLE=" + browser.cookie("PHIGATE_CONSOLE")).build());
            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.body()).startsWith("node,seq,time,requestId").contains(requestId);
            browser.click("[id='audit:records'] button");
            browser.awaitText("[id='audit:fields']", "tlsProtocol");
            browser.screenshot("audit-detail");
            browser.click("[id='audit:detail'] .ui-dialog-titlebar-close");
            browser.click("[id='verify:start']");
            browser.awaitText("#verdict", "intact");
            browser.screenshotAt("#verdict", "audit-verify");

            browser.go(ConsoleBrowser.CONSOLE + "changes.xhtml");
            browser.awaitText("[id='changes:list']", "routes." + name);
            assertThat(browser.text("[id='changes:list']")).contains("phigate-console", "admin");
            browser.screenshot("changes");

            drainAndEnable(browser, name, "https://127.0.0.1:" + backend.port());
            browser.go(ConsoleBrowser.CONSOLE + "item.xhtml?section=pools");
            browser.type("[id='item:name']", name + "-new");
            browser.type("[id='item:document']", "backends: [https://127.0.0.1:" + backend.port() + "]\nbalancing: sideways\n");
            browser.click("[id='item:save']");
            browser.awaitText("[id='item:documentMessage']", "PHIG-");
            browser.screenshot("item");
            for (String page : new String[] {"identities", "vendors", "certificates"}) {
                browser.go(ConsoleBrowser.CONSOLE + page + ".xhtml");
                browser.find("[id='" + page + ":list']");
                browser.screenshot(page);
            }
            browser.clickXpath("//*[@id='certificates:list']//button[contains(., 'Details')]");
            browser.awaitText("[id='certificates:fields']", "fingerprint");
            browser.screenshot("certificate");
            browser.click("[id='certificates:detail'] .ui-dialog-titlebar-close");

            browser.click("[id='nav:signOut']");
            browser.awaitUrl("/signed-out.html");
            browser.find("#signed-out");
            browser.screenshot("signed-out");
            awaitNoKeycloakSession("admin");
            browser.go(ConsoleBrowser.CONSOLE);
            browser.awaitUrl(Keycloak.BASE);
            assertThat(browser.find("#password").isDisplayed()).as("the provider's session ended too: it asks for the password again").isTrue();
        } finally {
            gateway.delete(Gateway.ADMIN + "/api/routes/" + name, ops());
            gateway.delete(Gateway.ADMIN + "/api/pools/" + name, ops());
        }
    }

    /** Drains the pool's backend in the console (with confirmation), sees the data plane drain it, and takes it back. */
    private void drainAndEnable(ConsoleBrowser browser, String pool, String url) throws Exception {
        browser.go(ConsoleBrowser.CONSOLE + "pools.xhtml");
        browser.type("[id='pools:filter']", pool);
        browser.awaitCount("[id='pools:list_data'] > tr", 1);
        browser.clickXpath("//tr[contains(., '" + url + "')]//button[contains(., 'Drain')]");
        browser.click(".ui-confirmdialog-yes");
        browser.awaitText("[id='pools:list']", "draining");
        browser.screenshot("pools");
        assertThat(gateway.get(Gateway.ADMIN + "/api/metrics", ops()).body())
                .contains("phigate_backend_state{pool=\"" + pool + "\",backend=\"" + url + "\",state=\"draining\"} 1");
        browser.clickXpath("//tr[contains(., '" + url + "')]//button[contains(., 'Enable')]");
        browser.awaitText("[id='pools:list']", "serving");
    }

    /** Faces pages carry a nonce-based policy that forbids framing; the session cookie is Secure, HttpOnly and SameSite. */
    private void assertSecurityHeaders(ConsoleBrowser browser) throws Exception {
        var session = browser.driver.manage().getCookieNamed("PHIGATE_CONSOLE");
        assertThat(session.isSecure()).isTrue();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        HttpResponse<String> page = gateway.send(HttpRequest.newBuilder(URI.create(ConsoleBrowser.CONSOLE + "index.xhtml"))
                .header("Cookie", "PHIGATE_CONSOLE=" + session.getValue()).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "script-src 'self' 'nonce-").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    }

    @Test
    void aSignInWithoutASecondFactorNeverReachesTheConsole() throws Exception {
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            browser.go(ConsoleBrowser.CONSOLE);
            browser.signIn("admin", keycloak.credential("adminPassword"));
            browser.find("#otp");
            browser.go(ConsoleBrowser.CONSOLE);
            browser.awaitUrl(Keycloak.BASE);
            assertThat(browser.driver.getPageSource()).doesNotContain("Dashboard");
        }
        // A realm that lets the console's client in with a password alone: the console refuses the session itself.
        keycloak.setClientAttributes("phigate", "phigate-console", Map.of("default.acr.values", "pwd", "minimum.acr.value", "pwd"));
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            browser.go(ConsoleBrowser.CONSOLE);
            browser.signIn("admin", keycloak.credential("adminPassword"));
            browser.awaitText("body", "PHIG-4037");
            assertThat(browser.driver.getCurrentUrl()).startsWith(ConsoleBrowser.CONSOLE);
            assertThat(browser.driver.getPageSource()).doesNotContain("Dashboard");
            browser.screenshot("second-factor-refused");
        } finally {
            keycloak.setClientAttributes("phigate", "phigate-console", Map.of("default.acr.values", "mfa", "minimum.acr.value", "mfa"));
        }
    }

    @Test
    void aClinicianIsRefusedAfterEnrollingACode() throws Exception {
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            browser.go(ConsoleBrowser.CONSOLE);
            browser.signIn("clinician", keycloak.credential("clinicianPassword"));
            // A user without a code enrols first: the realm asks every console sign-in for one.
            browser.click("#mode-manual");
            String secret = browser.text("#kc-totp-secret-key");
            browser.type("#totp", Totp.freshCode("clinician", secret));
            browser.type("#userLabel", "console test");
            browser.click("#saveTOTPBtn");
            browser.awaitText("body", "PHIG-4036");
            browser.find("#forbidden");
            browser.screenshot("forbidden");
        } finally {
            keycloak.removeOtpCredentials("phigate", "clinician");
        }
    }

    @Test
    void thePrivacyOfficerFlagsABreakGlassEventWithANote() throws Exception {
        String name = "console-glass-" + UUID.randomUUID().toString().substring(0, 8);
        poolWithBackend(name);
        HttpResponse<String> route = gateway.put(Gateway.ADMIN + "/api/routes/" + name, "application/json", """
                {"prefix": "/%1$s/", "pool": "%1$s", "backendPath": "/r4/", "policy": {"roles": ["oncologist"], "breakGlass": true}}
                """.formatted(name), ops());
        assertThat(route.statusCode()).as(route.body()).isEqualTo(201);
        String er = keycloak.userToken("phigate", "phigate-clinician-app", "er-physician", "erPassword");
        HttpResponse<String> broken = gateway.send(HttpRequest.newBuilder(URI.create(Gateway.DATA + "/" + name + "/Patient"))
                .header("Authorization", "Bearer " + er).header("PHIGate-Break-Glass", "Unconscious patient, oncology history needed").build());
        assertThat(broken.statusCode()).isEqualTo(200);
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            signInWithCode(browser, "privacy-officer", "privacyPassword", "privacyTotpSecret");
            browser.go(ConsoleBrowser.CONSOLE + "break-glass.xhtml");
            browser.awaitText("[id='queue:events']", name);
            browser.screenshot("break-glass");
            browser.clickXpath("//tr[contains(., '" + name + "')]//button");
            browser.find("[id='review:note']");
            browser.click("[id='review:flag']");
            browser.awaitText("[id='review:noteMessage']", "PHIG-1007");
            browser.type("[id='review:note']", "No ED encounter for this patient that night; sent to the security officer.");
            browser.screenshot("break-glass-review");
            browser.click("[id='review:flag']");
            browser.awaitText("[id='queue:messages']", "flagged");
        } finally {
            gateway.delete(Gateway.ADMIN + "/api/routes/" + name, ops());
            gateway.delete(Gateway.ADMIN + "/api/pools/" + name, ops());
        }
        String officer = keycloak.userTokenWithCode("phigate", "phigate-clinician-app", "privacy-officer", "privacyPassword", "privacyTotpSecret");
        HttpResponse<String> events = gateway.get(Gateway.ADMIN + "/api/break-glass-events", officer);
        assertThat(events.body()).contains("\"route\":\"" + name + "\"", "\"outcome\":\"flagged\"", "sent to the security officer");
    }

    @Test
    void anIdleConsoleSignsOutAndEndsTheProviderSession() throws Exception {
        setSystemProperty("phigate.console.idle-timeout", "PT12S");
        try (ConsoleBrowser browser = ConsoleBrowser.open()) {
            signInWithCode(browser, "auditor", "auditorPassword", "auditorTotpSecret");
            assertThat(browser.text("#who")).contains("auditor", "gateway-auditor");
            assertThat(keycloak.sessionsOf("phigate", "auditor")).as("signed in at Keycloak").isPositive();
            // The page's idle monitor takes the page away after the session's limit, without a request.
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(40))
                    .until(d -> d.getCurrentUrl().contains("/signed-out.html"));
            // The server ends the console session at the same limit, and with it the Keycloak session.
            awaitNoKeycloakSession("auditor");
            browser.go(ConsoleBrowser.CONSOLE);
            browser.awaitUrl(Keycloak.BASE);
            assertThat(browser.find("#password").isDisplayed()).as("signed out at the provider too").isTrue();
        } finally {
            setSystemProperty("phigate.console.idle-timeout", "PT15M");
        }
    }

    /** Polls Keycloak's admin API until the user has no session left; fails after 20 s. */
    private static void awaitNoKeycloakSession(String username) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (keycloak.sessionsOf("phigate", username) > 0) {
            assertThat(Instant.now()).as("the Keycloak session of " + username + " ends within 20 s").isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private void setSystemProperty(String name, String value) throws Exception {
        ModelNode address = Operations.createAddress("system-property", name);
        ModelNode result = management.getControllerClient().execute(Operations.createWriteAttributeOperation(address, "value", value));
        assertThat(Operations.isSuccessfulOutcome(result)).as(result.toString()).isTrue();
    }
}
