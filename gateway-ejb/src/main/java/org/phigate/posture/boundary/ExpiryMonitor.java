// SPDX-License-Identifier: Apache-2.0
package org.phigate.posture.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.phigate.certificate.boundary.Certificates;
import org.phigate.certificate.control.CertificateEntry;
import org.phigate.certificate.control.CertificatePurpose;
import org.phigate.posture.Announcements;
import org.phigate.posture.ExpiryNotice;
import org.phigate.route.boundary.Routes;
import org.phigate.vendor.control.VendorSpec;

/**
 * Watches what expires: the agreements of active business associates (warned 60, 30 and 7 days ahead, and at expiry)
 * and the certificates of the inventory (30, 14 and 7 days ahead, and at expiry; of the server certificates, only the
 * one the listeners present: one imported for a later rotation is not yet a risk).
 * Runs at start and every ten minutes; each notice is logged once per stage it reaches ({@link Announcements}), so an
 * operator sees one line at 60 days, one at 30, one at 7 and one at expiry, not a line every run. The admin API and
 * the metrics read the notices due now, computed on each call from the published snapshots (no database call).
 */
@Singleton
@Startup
@DependsOn({"Routes", "Certificates"})
public class ExpiryMonitor {

    private static final Logger LOG = Logger.getLogger(ExpiryMonitor.class.getName());

    private final Clock clock = Clock.systemUTC();
    private final Announcements announcements = new Announcements();

    @EJB
    Routes routes;

    @EJB
    Certificates certificates;

    @PostConstruct
    void atStart() {
        check();
    }

    @Schedule(hour = "*", minute = "*/10", persistent = false)
    void check() {
        announcements.due(notices()).forEach(ExpiryMonitor::log);
    }

    /** The notices due now, soonest expiry first. */
    @Lock(LockType.READ)
    public List<ExpiryNotice> notices() {
        Instant now = clock.instant();
        List<ExpiryNotice> notices = new ArrayList<>();
        for (VendorSpec vendor : routes.current().vendors().values()) {
            if (vendor.status() == VendorSpec.Status.ACTIVE) {
                ExpiryNotice.at(now, ExpiryNotice.Kind.BAA, vendor.name(), vendor.expires()).ifPresent(notices::add);
            }
        }
        for (CertificateEntry certificate : certificates.inventory()) {
            if (certificate.purpose() != CertificatePurpose.SERVER || certificate.active()) {
                ExpiryNotice.at(now, ExpiryNotice.Kind.CERTIFICATE, certificate.name(), certificate.details().notAfter()).ifPresent(notices::add);
            }
        }
        notices.sort(Comparator.comparing(ExpiryNotice::expires).thenComparing(ExpiryNotice::name));
        return notices;
    }

    /** The certificates of the inventory, for the metrics. */
    @Lock(LockType.READ)
    public List<CertificateEntry> certificates() {
        return certificates.inventory();
    }

    /** The business associates and when their agreements expire, for the metrics. */
    @Lock(LockType.READ)
    public List<VendorSpec> vendors() {
        return routes.current().vendors().values().stream().sorted(Comparator.comparing(VendorSpec::name)).toList();
    }

    @Lock(LockType.READ)
    public Instant now() {
        return clock.instant();
    }

    private static void log(ExpiryNotice notice) {
        String code = notice.kind() == ExpiryNotice.Kind.BAA ? (notice.expired() ? "PHIG-0702" : "PHIG-0701")
                : notice.expired() ? "PHIG-0802" : "PHIG-0801";
        String consequence = notice.kind() == ExpiryNotice.Kind.BAA
                ? (notice.expired() ? "; PHI routes to this vendor are refused (PHIG-4394) until the agreement is renewed"
                        : "; renew it, or PHI routes to this vendor will be refused at expiry")
                : "; import its successor and activate it (docs/certificates.md)";
        LOG.log(notice.expired() ? Level.SEVERE : Level.WARNING, code + " " + notice.describe() + consequence);
    }
}
