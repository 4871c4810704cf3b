// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.phigate.route.control.BackendSpec;
import org.phigate.route.control.PoolPolicy;
import org.phigate.route.control.PoolSpec;
import org.xnio.OptionMap;
import org.xnio.Xnio;

/** The pool's choices without traffic: weighted round robin, least outstanding, ejection times, slow start, thresholds. */
class PoolBalancingTest {

    private static PoolClient pool(PoolPolicy.Balancing balancing, Duration slowStart, int... weights) throws Exception {
        List<BackendSpec> backends = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            backends.add(new BackendSpec(URI.create("https://10.0.0." + (i + 1) + ":9444"), weights[i], 512, false));
        }
        PoolPolicy policy = new PoolPolicy(balancing, 1024, Optional.empty(), new PoolPolicy.Ejection(2, Duration.ofSeconds(10), Duration.ofSeconds(30)),
                slowStart, 20);
        return new PoolClient(new PoolSpec("p", backends, policy), new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault()),
                OptionMap.EMPTY);
    }

    private static String picks(PoolClient pool, int count) {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < count; i++) {
            BackendState b = pool.choose(List.of());
            b.inFlight.decrementAndGet();
            order.append(b.uri.getHost().substring(b.uri.getHost().length() - 1));
        }
        return order.toString();
    }

    @Test
    void weightedRoundRobinIsSmooth() throws Exception {
        String order = picks(pool(PoolPolicy.Balancing.ROUND_ROBIN, Duration.ZERO, 3, 1, 1), 10);

        assertThat(order.chars().filter(c -> c == '1').count()).isEqualTo(6);
        assertThat(order).doesNotContain("111").contains("2", "3");
    }

    @Test
    void leastOutstandingPicksTheLeastLoadedRelativeToItsWeight() throws Exception {
        PoolClient pool = pool(PoolPolicy.Balancing.LEAST_OUTSTANDING, Duration.ZERO, 1, 2);
        pool.backends().get(0).inFlight.set(3);
        pool.backends().get(1).inFlight.set(5);

        assertThat(pool.choose(List.of()).uri.getHost()).as("5 of weight 2 is less than 3 of weight 1").isEqualTo("10.0.0.2");

        PoolClient idle = pool(PoolPolicy.Balancing.LEAST_OUTSTANDING, Duration.ZERO, 1, 1, 1);
        assertThat(picks(idle, 6)).as("ties take turns").isEqualTo("123123");
    }

    @Test
    void ejectionTimesDoubleUpToTheMaximumAndATriedBackendIsNotChosenAgain() throws Exception {
        PoolClient pool = pool(PoolPolicy.Balancing.ROUND_ROBIN, Duration.ZERO, 1, 1);
        BackendState first = pool.backends().get(0);
        PoolPolicy.Ejection ejection = pool.spec().policy().ejection();
        long now = System.nanoTime();
        List<Long> times = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            first.failed(ejection, now, () -> true);
            first.failed(ejection, now, () -> true);
            times.add(TimeUnit.NANOSECONDS.toSeconds(first.ejectedUntil() - now));
            now = first.ejectedUntil();
        }

        assertThat(times).containsExactly(10L, 20L, 30L, 30L);
        assertThat(first.health(now - 1)).isEqualTo(BackendState.Health.EJECTED);
        assertThat(pool.choose(List.of(pool.backends().get(1)))).as("only the tried one is left, and it is ejected").isNull();
    }

    @Test
    void aBackendBackFromEjectionStartsSlowAndFailedChecksTakeItOut() throws Exception {
        PoolClient pool = pool(PoolPolicy.Balancing.ROUND_ROBIN, Duration.ofSeconds(30), 5);
        BackendState b = pool.backends().get(0);
        PoolPolicy policy = pool.spec().policy();
        long now = System.nanoTime();
        assertThat(b.effectiveWeight(now, policy)).as("never ejected: full weight").isEqualTo(50);
        b.failed(policy.ejection(), now, () -> true);
        b.failed(policy.ejection(), now, () -> true);
        long back = b.ejectedUntil();

        assertThat(b.effectiveWeight(back, policy)).isEqualTo(5);
        assertThat(b.effectiveWeight(back + TimeUnit.SECONDS.toNanos(15), policy)).isEqualTo(25);
        assertThat(b.effectiveWeight(back + TimeUnit.SECONDS.toNanos(31), policy)).isEqualTo(50);

        PoolPolicy.HealthCheck check = new PoolPolicy.HealthCheck("/health", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3);
        long later = back + TimeUnit.SECONDS.toNanos(60);
        b.checked(false, check, later);
        b.checked(false, check, later);
        assertThat(b.health(later)).isEqualTo(BackendState.Health.SERVING);
        b.checked(false, check, later);
        assertThat(b.health(later)).isEqualTo(BackendState.Health.UNHEALTHY);
        b.checked(true, check, later);
        assertThat(b.health(later)).isEqualTo(BackendState.Health.UNHEALTHY);
        b.checked(true, check, later);
        assertThat(b.health(later)).isEqualTo(BackendState.Health.SERVING);
    }
}
