// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.console;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletContext;
import java.util.List;
import org.phigate.audit.boundary.AuditJournal;
import org.phigate.breakglass.boundary.BreakGlassEvents;
import org.phigate.posture.ExpiryNotice;
import org.phigate.posture.boundary.ExpiryMonitor;
import org.phigate.route.boundary.Routes;
import org.phigate.route.control.RouteTable;
import org.phigate.web.proxy.DataPlaneExtension;
import org.phigate.web.proxy.PoolStatus;
import org.phigate.web.proxy.Traffic;

/** The console's first page: traffic per minute, what serves, what is unhealthy, what expires soon, what waits for review. */
@Named
@RequestScoped
public class Dashboard {

    @EJB
    Routes routes;

    @EJB
    ExpiryMonitor expiries;

    @EJB
    BreakGlassEvents breakGlass;

    @EJB
    AuditJournal audit;

    @Inject
    ServletContext servlet;

    private RouteTable table;
    private List<PoolStatus> pools;
    private List<Traffic.Minute> traffic;

    private RouteTable table() {
        if (table == null) {
            table = routes.current();
        }
        return table;
    }

    public long getGeneration() {
        return table().generation();
    }

    public int getRouteCount() {
        return table().routes().size();
    }

    public int getPoolCount() {
        return table().pools().size();
    }

    public int getVendorCount() {
        return table().vendors().size();
    }

    public List<PoolStatus> getPools() {
        if (pools == null) {
            pools = DataPlaneExtension.dataPlane(servlet).map(plane -> plane.pools()).orElse(List.of());
        }
        return pools;
    }

    /** The last 15 minutes, newest first: forwarded, refused (denials) and failed requests of each. */
    public List<Traffic.Minute> getTraffic() {
        if (traffic == null) {
            traffic = DataPlaneExtension.dataPlane(servlet).map(plane -> plane.traffic().lastMinutes(15)).orElse(List.of());
        }
        return traffic;
    }

    /** The last full minute, the one before the current: requests and denials per minute. */
    public Traffic.Minute getLastMinute() {
        List<Traffic.Minute> minutes = getTraffic();
        return minutes.size() > 1 ? minutes.get(1) : new Traffic.Minute(java.time.Instant.EPOCH, 0, 0, 0);
    }

    public long getUnhealthyBackends() {
        return getPools().stream().flatMap(p -> p.backends().stream()).filter(b -> !b.state().equals("serving")).count();
    }

    public List<ExpiryNotice> getExpiries() {
        return expiries.notices();
    }

    /** Whether the audit store takes records now (if not, PHI is not forwarded), and this node's chain. */
    public boolean isAuditStoreUp() {
        return audit.storeUp();
    }

    public String getAuditNode() {
        return audit.node();
    }

    public long getOpenBreakGlass() {
        return breakGlass.openCount();
    }
}
